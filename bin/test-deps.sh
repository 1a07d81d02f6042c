# Sourced by bin/test: installs, with apt-get (sudo when not root), the Debian packages the tests
# use when they are missing, and a JDK 21+ when none is found. On a machine that has them all it
# does nothing and needs no network.

install_test_deps() {
  local need=()
  command -v logger >/dev/null 2>&1 || need+=(bsdutils)
  command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v pgrep >/dev/null 2>&1 || need+=(procps)
  command -v unzip >/dev/null 2>&1 || need+=(unzip)
  # ingest-syslog ITs: loggen (syslog-ng), openssl s_client and the openssl CLI for test certificates
  command -v loggen >/dev/null 2>&1 || need+=(syslog-ng-core)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
  # access log acceptance: Debian's nginx; the test starts its own instance on a free port
  [[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null 2>&1 || need+=(nginx)
  # fault tests: nginx's stream proxy balances syslog TCP/TLS over two ingest instances; Debian
  # builds it as a dynamic module
  [[ -f /usr/lib/nginx/modules/ngx_stream_module.so ]] || need+=(libnginx-mod-stream)
  # web console browser tests: Debian's chromium, driven through its chromedriver by Selenium
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
  local sudo=""
  [[ "$(id -u)" != 0 ]] && sudo="sudo"
  if ((${#need[@]})); then
    echo "bin/test: installing ${need[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
  fi
  # compose/ files are validated with Debian's docker-compose (its `config` needs no Docker engine;
  # without recommends, so that no docker.io engine is installed beside it)
  if ! command -v docker-compose >/dev/null 2>&1; then
    echo "bin/test: installing docker-compose" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends docker-compose
  fi
  # a JDK 21+ must exist; the default java may be 17
  if ! find_jdk >/dev/null 2>&1; then
    echo "bin/test: no JDK 21+ found, installing one" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openjdk-21-jdk-headless ||
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openjdk-25-jdk-headless
  fi
}
