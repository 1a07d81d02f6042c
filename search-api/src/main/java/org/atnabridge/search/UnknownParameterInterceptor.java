package org.atnabridge.search;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.PreferHandlingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.method.SearchMethodBinding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.atnabridge.schemas.Fhir;
import org.jspecify.annotations.Nullable;

/**
 * FHIR search §3.2.1.1 "handling": a search parameter this server does not know is refused with 400
 * when the client sends {@code Prefer: handling=strict}; otherwise (lenient, the default) it is
 * dropped before the search runs, so the Bundle's self link lists only the parameters applied, and
 * {@link CursorPages} adds an OperationOutcome entry naming the ones ignored. The known names are
 * those {@link AuditEventResourceProvider#SEARCH_PARAMETERS} declares, the same list the
 * CapabilityStatement publishes, plus the result parameters.
 *
 * <p>Values of date parameters are checked here too, with HAPI's own parser, so that a bad date or
 * prefix gets a 400 that names the parameter instead of HAPI's generic format error.
 */
@Interceptor
public final class UnknownParameterInterceptor {

  /** Request user-data key: the names of the unknown parameters that were ignored. */
  static final String IGNORED = UnknownParameterInterceptor.class.getName() + ".ignored";

  /** Request user-data key: why the search is refused, raised by {@link #throwIfRefused}. */
  private static final String REFUSED = UnknownParameterInterceptor.class.getName() + ".refused";

  /** Result parameters (FHIR search §3.2.1.7) this server applies. */
  static final Set<String> RESULT_PARAMETERS =
      Set.of(
          Constants.PARAM_COUNT,
          Constants.PARAM_SORT,
          Constants.PARAM_ELEMENTS,
          Constants.PARAM_SUMMARY,
          CursorPages.TOTAL,
          Constants.PARAM_FORMAT,
          Constants.PARAM_PRETTY,
          CursorPages.CURSOR);

  private static final Set<String> DATE_PARAMETERS = Set.of("date", Constants.PARAM_LASTUPDATED);

  private final Set<String> known;

  /** The R5 base: the names {@link AuditEventResourceProvider#SEARCH_PARAMETERS} declares. */
  public UnknownParameterInterceptor() {
    this(AuditEventResourceProvider.SEARCH_PARAMETERS);
  }

  /**
   * @param known the search parameter names this base offers (another base of the same store, e.g.
   *     R4, offers its own names)
   */
  public UnknownParameterInterceptor(Set<String> known) {
    this.known = Set.copyOf(known);
  }

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLER_SELECTED)
  public void checkParameters(RequestDetails request) {
    if (!"AuditEvent".equals(request.getResourceName())
        || !SearchMethodBinding.isPlainSearchRequest(request)) {
      return;
    }
    Set<String> unknown = new TreeSet<>();
    Map<String, String[]> applied = new HashMap<>();
    List<String> invalid = new ArrayList<>();
    request
        .getParameters()
        .forEach(
            (name, values) -> {
              String base = baseName(name);
              if (!known.contains(base) && !RESULT_PARAMETERS.contains(base)) {
                unknown.add(name);
              } else if (DATE_PARAMETERS.contains(base) && invalidDate(name, values) != null) {
                invalid.add(invalidDate(name, values));
              } else {
                applied.put(name, values);
              }
            });
    if (unknown.isEmpty() && invalid.isEmpty()) {
      return;
    }
    // HAPI logs any exception a hook throws at ERROR; a client's bad request is not a server
    // error, so the refusal is noted here, the offending parameters are dropped so that the search
    // method is selected, and the method raises the 400 (throwIfRefused)
    request.setParameters(applied);
    if (!invalid.isEmpty()) {
      request.getUserData().put(REFUSED, invalid.get(0));
    } else if (handling(request) == PreferHandlingEnum.STRICT) {
      request
          .getUserData()
          .put(
              REFUSED,
              "unknown search parameter"
                  + (unknown.size() == 1 ? " " : "s ")
                  + String.join(", ", unknown)
                  + " (Prefer: handling=strict); GET [base]/metadata lists those supported");
    } else {
      request.getUserData().put(IGNORED, List.copyOf(unknown));
    }
  }

  /** Raises the 400 {@link #checkParameters} decided on; first thing a search does. */
  static void throwIfRefused(RequestDetails request) {
    Object refusal = request.getUserData().get(REFUSED);
    if (refusal != null) {
      throw new InvalidRequestException(refusal.toString());
    }
  }

  private static PreferHandlingEnum handling(RequestDetails request) {
    String prefer = request.getHeader(Constants.HEADER_PREFER);
    PreferHandlingEnum handling =
        prefer == null || prefer.isBlank()
            ? null
            : RestfulServerUtils.parsePreferHeader(prefer).getHanding();
    return handling == null ? PreferHandlingEnum.LENIENT : handling;
  }

  /** The parameter's name without modifier ({@code :identifier}) or chain ({@code .identifier}). */
  private static String baseName(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) == ':' || name.charAt(i) == '.') {
        return name.substring(0, i);
      }
    }
    return name;
  }

  /** Why a value of this date parameter does not parse, or null when all do. */
  private static @Nullable String invalidDate(String name, String[] values) {
    if (name.contains(":")) {
      return null; // :missing=true|false, checked by HAPI's binding
    }
    for (String value : values) {
      for (String v : splitCommas(value)) {
        try {
          new DateParam().setValueAsQueryToken(Fhir.context(), name, null, v);
        } catch (RuntimeException e) {
          return name
              + ": '"
              + v
              + "' is not a date with an optional prefix "
              + "(eq, ne, lt, gt, le, ge, sa, eb), e.g. ge2026-01-05 or 2026-01-05T10:00:00Z";
        }
      }
    }
    return null;
  }

  private static List<String> splitCommas(String value) {
    List<String> out = new ArrayList<>();
    for (String v : value.split(",")) {
      if (!v.isBlank()) {
        out.add(v.trim());
      }
    }
    return out;
  }
}
