package org.atnabridge.schemas.subscription;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.Subscription;
import org.jspecify.annotations.Nullable;

/**
 * What the creator of a Subscription may read, recorded in the stored resource when it is created
 * (or updated) so that the matcher delivers only that: a subscription never sees more than a search
 * by its creator would. Carried as one extension on the stored Subscription; the API removes it
 * ({@link #strip}) before a Subscription leaves the server.
 *
 * @param subject the creator's token {@code sub}
 * @param patient the patient of a {@code patient/} scope ({@code system|value} or a Patient id),
 *     null when the creator was not patient-scoped
 * @param patientIdentifierSystem the identifier system a bare patient id is matched under, or null
 * @param clearance the v3-Confidentiality codes the creator was cleared for; empty = the default
 *     clearance (N)
 * @param patientLevel whether the creator held only {@code patient/} scopes: then nothing is
 *     delivered when {@code patient} is null
 */
public record SubscriberAccess(
    String subject,
    @Nullable String patient,
    @Nullable String patientIdentifierSystem,
    Set<String> clearance,
    boolean patientLevel) {

  public static final String URL = Extensions.SUBSCRIBER_ACCESS;

  public SubscriberAccess {
    clearance = Set.copyOf(clearance);
  }

  /** Replaces any access recorded on {@code s} with this one. */
  public void writeTo(Subscription s) {
    strip(s);
    Extension e = s.addExtension().setUrl(URL);
    e.addExtension("subject", new StringType(subject));
    if (patient != null) {
      e.addExtension("patient", new StringType(patient));
    }
    if (patientIdentifierSystem != null) {
      e.addExtension("patientIdentifierSystem", new StringType(patientIdentifierSystem));
    }
    clearance.stream().sorted().forEach(c -> e.addExtension("clearance", new StringType(c)));
    e.addExtension("patientLevel", new StringType(String.valueOf(patientLevel)));
  }

  /** The access recorded on {@code s}, or empty when none is (then nothing may be delivered). */
  public static Optional<SubscriberAccess> readFrom(Subscription s) {
    Extension e = s.getExtensionByUrl(URL);
    if (e == null) {
      return Optional.empty();
    }
    String subject = text(e, "subject");
    if (subject == null) {
      return Optional.empty();
    }
    Set<String> clearance = new LinkedHashSet<>();
    for (Extension c : e.getExtensionsByUrl("clearance")) {
      clearance.add(c.getValue().primitiveValue());
    }
    return Optional.of(
        new SubscriberAccess(
            subject,
            text(e, "patient"),
            text(e, "patientIdentifierSystem"),
            clearance,
            Boolean.parseBoolean(text(e, "patientLevel"))));
  }

  /** Removes the recorded access: the form in which a Subscription is shown to clients. */
  public static Subscription strip(Subscription s) {
    s.getExtension().removeIf(x -> URL.equals(x.getUrl()));
    return s;
  }

  private static @Nullable String text(Extension parent, String url) {
    Extension e = parent.getExtensionByUrl(url);
    return e == null || e.getValue() == null ? null : e.getValue().primitiveValue();
  }
}
