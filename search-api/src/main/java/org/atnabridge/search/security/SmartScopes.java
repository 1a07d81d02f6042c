package org.atnabridge.search.security;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SMART App Launch scopes (SMART App Launch v2, "Scopes and Launch Context"): v2 {@code
 * (patient|user|system)/(Type|*).[c][r][u][d][s]} and the v1 forms {@code .read} (= rs), {@code
 * .write} (= cud), {@code .*} (= cruds). Scopes with a {@code ?} constraint are not honoured (their
 * finer limits are not enforced, so granting them would widen access); other scopes (openid,
 * launch, ...) are ignored.
 */
public final class SmartScopes {

  private static final Pattern SCOPE =
      Pattern.compile("(patient|user|system)/([A-Za-z]+|\\*)\\.(c?r?u?d?s?|read|write|\\*)");

  /** How far a grant reaches. */
  public enum Level {
    /** Not granted. */
    NONE,
    /** Granted for the token's patient only. */
    PATIENT,
    /** Granted without a patient restriction ({@code user/} or {@code system/}). */
    ALL
  }

  private record Grant(String context, String type, String letters) {}

  /** SMART App Launch scopes that name no resource: valid in a token, granting nothing here. */
  private static final java.util.Set<String> NON_RESOURCE =
      java.util.Set.of(
          "openid",
          "fhirUser",
          "profile",
          "launch",
          "launch/patient",
          "launch/encounter",
          "offline_access",
          "online_access");

  /**
   * The first scope of {@code spaceSeparated} that is not SMART App Launch syntax as this server
   * reads it, with why, for a client that mints tokens: a resource scope {@code
   * (patient|user|system)/(Type|*).} followed by v2 letters in the order {@code cruds} (or a v1
   * {@code read}, {@code write}, {@code *}), or one of the scopes that name no resource ({@code
   * openid}, {@code fhirUser}, {@code launch/patient}, {@code offline_access}, ...). A v2 scope
   * with a {@code ?} constraint is refused too: this server grants it nothing.
   *
   * @return empty when every scope is valid
   */
  public static java.util.Optional<String> firstInvalid(String spaceSeparated) {
    String text = spaceSeparated == null ? "" : spaceSeparated.trim();
    if (text.isEmpty()) {
      return java.util.Optional.of("no scope given");
    }
    for (String scope : text.split("\\s+")) {
      if (NON_RESOURCE.contains(scope)) {
        continue;
      }
      int query = scope.indexOf('?');
      if (query > 0 && SCOPE.matcher(scope.substring(0, query)).matches()) {
        return java.util.Optional.of(
            scope + ": constraints after '?' are not honoured here, so it would grant nothing");
      }
      Matcher m = SCOPE.matcher(scope);
      if (!m.matches() || m.group(3).isEmpty()) {
        return java.util.Optional.of(
            scope
                + ": not a SMART scope (context/Type.letters, letters in the order "
                + "cruds, e.g. system/AuditEvent.rs or patient/AuditEvent.rs)");
      }
    }
    return java.util.Optional.empty();
  }

  private final List<Grant> grants;
  private final String text;

  private SmartScopes(List<Grant> grants, String text) {
    this.grants = List.copyOf(grants);
    this.text = text;
  }

  public static SmartScopes parse(String spaceSeparated) {
    List<Grant> grants = new ArrayList<>();
    for (String scope : spaceSeparated.trim().split("\\s+")) {
      Matcher m = SCOPE.matcher(scope);
      if (!m.matches() || m.group(3).isEmpty()) {
        continue;
      }
      String letters =
          switch (m.group(3)) {
            case "read" -> "rs";
            case "write" -> "cud";
            case "*" -> "cruds";
            default -> m.group(3);
          };
      grants.add(new Grant(m.group(1), m.group(2), letters));
    }
    return new SmartScopes(grants, spaceSeparated.trim());
  }

  /**
   * Whether every letter of {@code letters} (e.g. {@code rs}) is granted on {@code type} by a
   * single context: ALL when a {@code user/} or {@code system/} scope grants it, else PATIENT when
   * a {@code patient/} scope does.
   */
  public Level level(String type, String letters) {
    Level best = Level.NONE;
    for (String context : List.of("system", "user", "patient")) {
      if (covers(context, type, letters)) {
        Level l = context.equals("patient") ? Level.PATIENT : Level.ALL;
        if (l == Level.ALL) {
          return l;
        }
        best = l;
      }
    }
    return best;
  }

  /**
   * Whether scopes of {@code context} ({@code system}, {@code user} or {@code patient}) alone grant
   * every letter of {@code letters} on {@code type}, by name or by {@code *}.
   */
  public boolean grants(String context, String type, String letters) {
    return covers(context, type, letters);
  }

  private boolean covers(String context, String type, String letters) {
    for (char letter : letters.toCharArray()) {
      boolean found = false;
      for (Grant g : grants) {
        if (g.context().equals(context)
            && (g.type().equals(type) || g.type().equals("*"))
            && g.letters().indexOf(letter) >= 0) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
