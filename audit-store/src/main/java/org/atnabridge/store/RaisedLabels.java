package org.atnabridge.store;

import java.util.Collection;
import java.util.Set;

/**
 * Security labels an event carries in the index beyond its own {@code meta.security}, decided from
 * the patients it names: the labels reference data gave a patient after the event was chained. The
 * chained JSON is never changed (its hash covers {@code meta.security}); the labels are added to
 * the indexed {@code _security} values only, so searches, reads, counts and reports filtered on
 * {@code _security} (label clearance) treat the event as if it carried them.
 */
@FunctionalInterface
public interface RaisedLabels {

  /** Raises nothing. */
  RaisedLabels NONE = keys -> Set.of();

  /**
   * @param patientKeys the patients an event names ({@code AuditEvent.patient} and {@code
   *     entity.what}), each as an identifier token {@code system|value} (never a value without
   *     system) or a literal reference {@code Patient/id}
   * @return label tokens {@code system|code} the event must carry in the index; empty = none
   */
  Set<String> labelsFor(Collection<String> patientKeys);
}
