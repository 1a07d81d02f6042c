package org.atnabridge.search.console;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Set;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.Topics;
import org.atnabridge.store.AuditEventSearch;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Binary;
import org.hl7.fhir.r5.model.IdType;

/**
 * {@code GET /fhir/AuditEvent/{id}/$raw}: the original record an event was converted from (the
 * syslog frame with its ATNA XML, or the access log line), exactly as received, as a FHIR Binary
 * ({@code application/octet-stream}; its {@code data} is the bytes in base64). The event is read
 * through {@code search}, the caller's view of the store, so whoever may not read the event gets
 * what a read would answer, and the operation is scope-checked and self-audited like a read. Only
 * the raw topics are ever read, whatever the event's reference says.
 */
public final class RawRecordProvider {

  private static final Set<String> RAW_TOPICS =
      Set.of(Topics.ATNA_RAW.name(), Topics.ACCESSLOG_RAW.name());

  private final AuditEventSearch search;
  private final RawRecords records;

  /**
   * @param search the caller's view of the store ({@code ApiSecurity#visible})
   */
  public RawRecordProvider(AuditEventSearch search, RawRecords records) {
    this.search = search;
    this.records = records;
  }

  @Operation(name = "$raw", type = AuditEvent.class, idempotent = true)
  public Binary raw(@IdParam IdType id) {
    AuditEvent event =
        search
            .read(id.getIdPart())
            .orElseThrow(() -> new ResourceNotFoundException("AuditEvent/" + id.getIdPart()));
    RawRecordReference where = RawRecordReference.from(event);
    if (where == null) {
      throw new ResourceNotFoundException(
          "AuditEvent/" + id.getIdPart() + " has no raw record: it was posted as FHIR");
    }
    if (!RAW_TOPICS.contains(where.topic())) {
      throw new InvalidRequestException("the event's raw record is not in a raw topic");
    }
    byte[] bytes =
        records
            .read(where)
            .orElseThrow(
                () ->
                    new ResourceNotFoundException(
                        "the raw record of AuditEvent/"
                            + id.getIdPart()
                            + " is no longer kept ("
                            + where.topic()
                            + " partition "
                            + where.partition()
                            + " offset "
                            + where.offset()
                            + ")"));
    Binary binary = new Binary();
    binary.setContentType("application/octet-stream");
    binary.setData(bytes);
    return binary;
  }
}
