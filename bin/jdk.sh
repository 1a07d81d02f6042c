# Sourced by bin/atna-bridge and .ci/run: find a JDK 21+ without relying on the default java.
java_major() { # prints the feature version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1 || echo 0
}

java_version() { # prints the full version of the java binary $1 (java.version, e.g. 25.0.1)
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/^ *java.version = / {print $2; exit}'
}

find_jdk() { # prints a JAVA_HOME with a JDK 21+ (javac present, for the build)
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  local d
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* "$HOME"/.sdkman/candidates/java/*; do
    [[ -d "$d" ]] && candidates+=("$d")
  done
  local c v
  for c in "${candidates[@]}"; do   # preference order: JAVA_HOME, PATH, then the usual folders
    [[ -x "$c/bin/java" && -x "$c/bin/javac" ]] || continue
    v="$(java_major "$c/bin/java")"
    if [[ "$v" =~ ^[0-9]+$ ]] && (( v >= 21 )); then echo "$c"; return 0; fi
  done
  echo "atna-bridge: no JDK 21 or newer found (looked at JAVA_HOME, PATH, /usr/lib/jvm); install one or set JAVA_HOME" >&2
  return 1
}

