package org.atnabridge.atna.fhir;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.atnabridge.atna.dicom.ActiveParticipant;
import org.atnabridge.atna.dicom.AuditMessage;
import org.atnabridge.atna.dicom.CodedValue;
import org.atnabridge.atna.dicom.EventIdentification;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification;
import org.atnabridge.atna.fhir.Codings.Context;
import org.atnabridge.atna.syslog.SyslogFormat;
import org.atnabridge.atna.syslog.SyslogRecord;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventSeverity;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * Maps an {@link AuditMessage} to FHIR R5 AuditEvents following the R5 AuditEvent's DICOM mappings.
 * A message naming several patients (ParticipantObjectTypeCode 1 / role 1) becomes one AuditEvent
 * per patient, each with its own patient entity and every non-patient entity (ITI-20 and BALP: one
 * record per patient).
 *
 * <p>Outcome: {@code outcome.code} carries THO audit-event-outcome {@code 0/4/8/12}, as the R5 core
 * example, the HL7 R4→R5 converter and BALP do (not the ISEV codes of R5's preferred value set).
 * Stateless, thread-safe.
 */
public final class AuditEventMapper {

  /**
   * An xs:dateTime FHIR accepts verbatim (seconds present); kept as sent to preserve its precision.
   */
  private static final Pattern FHIR_DATE_TIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?");

  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

  private static final AuditEventSeverity[] SEVERITIES = {
    AuditEventSeverity.EMERGENCY,
    AuditEventSeverity.ALERT,
    AuditEventSeverity.CRITICAL,
    AuditEventSeverity.ERROR,
    AuditEventSeverity.WARNING,
    AuditEventSeverity.NOTICE,
    AuditEventSeverity.INFORMATIONAL,
    AuditEventSeverity.DEBUG
  };

  /**
   * @param message the parsed payload
   * @param syslog the header the payload came with
   * @param metadata receive metadata
   * @param sha256Hex lowercase hex SHA-256 of the frame (the {@code raw-receipt} records it)
   * @param idBase the id ({@link org.atnabridge.atna.EventIds}), also the {@code correlation-id};
   *     {@code -1}, {@code -2}, … appended when the message is split per patient
   */
  public List<AuditEvent> map(
      AuditMessage message,
      SyslogRecord syslog,
      RawMetadata metadata,
      String sha256Hex,
      String idBase) {
    List<ParticipantObjectIdentification> patients = new ArrayList<>();
    for (ParticipantObjectIdentification o : message.objects()) {
      if (o.isPatient()) {
        patients.add(o);
      }
    }
    if (patients.size() <= 1) {
      return List.of(
          build(
              message,
              message.objects(),
              patients.isEmpty() ? null : patients.get(0),
              idBase,
              false,
              syslog,
              metadata,
              sha256Hex,
              idBase));
    }
    List<AuditEvent> events = new ArrayList<>(patients.size());
    for (int i = 0; i < patients.size(); i++) {
      ParticipantObjectIdentification patient = patients.get(i);
      List<ParticipantObjectIdentification> objects = new ArrayList<>();
      for (ParticipantObjectIdentification o : message.objects()) {
        if (o == patient || !o.isPatient()) {
          objects.add(o);
        }
      }
      events.add(
          build(
              message,
              objects,
              patient,
              idBase + "-" + (i + 1),
              true,
              syslog,
              metadata,
              sha256Hex,
              idBase));
    }
    return List.copyOf(events);
  }

  private AuditEvent build(
      AuditMessage m,
      List<ParticipantObjectIdentification> objects,
      @Nullable ParticipantObjectIdentification patient,
      String id,
      boolean split,
      SyslogRecord syslog,
      RawMetadata metadata,
      String sha256Hex,
      String idBase) {
    Set<ConversionFlag> flags = EnumSet.noneOf(ConversionFlag.class);
    if (split) {
      flags.add(ConversionFlag.SPLIT_PER_PATIENT);
    }
    AuditEvent e = new AuditEvent();
    e.setId(id);
    EventIdentification ev = m.event();

    e.addCategory(Codings.concept(ev.eventId(), Context.EVENT_ID));
    CodeableConcept code = new CodeableConcept();
    for (CodedValue t : ev.eventTypeCodes()) {
      code.addCoding(Codings.coding(t, Context.EVENT_TYPE));
    }
    if (code.getCoding().isEmpty()) {
      code.addCoding(Codings.coding(ev.eventId(), Context.EVENT_ID));
      flags.add(ConversionFlag.CODE_FROM_EVENT_ID);
    }
    e.setCode(code);

    AuditEventAction action = action(ev.actionCode());
    if (action != null) {
      e.setAction(action);
    } else {
      flags.add(ConversionFlag.ACTION_INVALID);
    }
    Integer severity = syslog.severity();
    if (severity != null && severity >= 0 && severity < SEVERITIES.length) {
      e.setSeverity(SEVERITIES[severity]);
    }
    recorded(e, ev.dateTime(), syslog, metadata, flags);
    outcome(e, ev, flags);
    for (CodedValue p : ev.purposesOfUse()) {
      e.addAuthorization(Codings.concept(p, Context.OTHER));
    }

    List<AuditEventAgentComponent> agents = new ArrayList<>();
    for (ActiveParticipant p : m.participants()) {
      AuditEventAgentComponent agent = AgentMapper.agent(p, flags);
      agents.add(agent);
      e.addAgent(agent);
    }
    e.setSource(SourceMapper.source(m.sources(), syslog, metadata, flags));

    for (ParticipantObjectIdentification o : objects) {
      e.addEntity(EntityMapper.entity(o, flags));
    }
    for (int i = 0; i < m.participants().size(); i++) {
      CodedValue media = m.participants().get(i).mediaType();
      if (media != null) {
        e.addEntity(AgentMapper.mediaEntity(media, agents.get(i)));
      }
    }
    if (patient != null) {
      e.setPatient(EntityMapper.patientReference(patient));
    }
    BalpPattern pattern = BalpShaper.recognise(m, patient != null);
    if (pattern != null) {
      BalpShaper.shape(e, m, pattern);
    }

    e.addExtension(new Extension(Extensions.CORRELATION_ID, new StringType(idBase)));
    if (syslog.format() != SyslogFormat.NONE) {
      e.addExtension(SourceMapper.syslogHeader(syslog, flags));
    }
    e.addExtension(SourceMapper.receipt(metadata, sha256Hex));
    for (ConversionFlag f : flags) {
      e.getMeta().addTag(CodeSystems.CONVERSION_FLAG, f.code(), null);
    }
    return e;
  }

  private static @Nullable AuditEventAction action(@Nullable String code) {
    if (code == null) {
      return null;
    }
    return switch (code.toUpperCase(Locale.ROOT)) {
      case "C" -> AuditEventAction.C;
      case "R" -> AuditEventAction.R;
      case "U" -> AuditEventAction.U;
      case "D" -> AuditEventAction.D;
      case "E" -> AuditEventAction.E;
      default -> null;
    };
  }

  /**
   * EventDateTime → recorded (+ occurredDateTime); no zone → UTC flagged; unusable → syslog time,
   * then receive time.
   */
  private static void recorded(
      AuditEvent e,
      @Nullable String raw,
      SyslogRecord syslog,
      RawMetadata metadata,
      Set<ConversionFlag> flags) {
    OffsetDateTime t = null;
    if (raw != null) {
      try {
        t = OffsetDateTime.parse(raw, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      } catch (DateTimeParseException notOffset) {
        try {
          t =
              LocalDateTime.parse(raw, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                  .atOffset(ZoneOffset.UTC);
          flags.add(ConversionFlag.RECORDED_ZONE_ASSUMED);
        } catch (DateTimeParseException notLocal) {
          t = null;
        }
      }
    }
    if (t != null) {
      String iso =
          FHIR_DATE_TIME.matcher(raw).matches()
              ? (flags.contains(ConversionFlag.RECORDED_ZONE_ASSUMED) ? raw + "Z" : raw)
              : t.truncatedTo(ChronoUnit.MILLIS).format(MILLIS);
      e.setRecordedElement(new InstantType(iso));
      e.setOccurred(new DateTimeType(iso));
    } else if (syslog.timestamp() != null) {
      e.setRecordedElement(
          new InstantType(syslog.timestamp().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
      flags.add(ConversionFlag.RECORDED_FROM_SYSLOG);
    } else {
      e.setRecorded(Date.from(metadata.receivedAt()));
      flags.add(ConversionFlag.RECORDED_FROM_RECEIPT);
    }
  }

  private static void outcome(AuditEvent e, EventIdentification ev, Set<ConversionFlag> flags) {
    Coding code = ev.outcomeIndicator() == null ? null : Codings.outcome(ev.outcomeIndicator());
    if (code == null) {
      flags.add(ConversionFlag.OUTCOME_INVALID);
    } else {
      e.getOutcome().setCode(code);
    }
    if (ev.outcomeDescription() != null) {
      e.getOutcome().addDetail(new CodeableConcept().setText(ev.outcomeDescription()));
    }
  }
}
