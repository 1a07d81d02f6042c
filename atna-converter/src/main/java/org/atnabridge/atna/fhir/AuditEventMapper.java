package org.atnabridge.atna.fhir;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.atnabridge.atna.dicom.ActiveParticipant;
import org.atnabridge.atna.dicom.AuditMessage;
import org.atnabridge.atna.dicom.AuditSourceIdentification;
import org.atnabridge.atna.dicom.CodedValue;
import org.atnabridge.atna.dicom.EventIdentification;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification.Description;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification.Detail;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification.SopClass;
import org.atnabridge.atna.fhir.Codings.Context;
import org.atnabridge.atna.syslog.SyslogFormat;
import org.atnabridge.atna.syslog.SyslogRecord;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.schemas.vocab.NetworkAccessPointType;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventEntityDetailComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventSeverity;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventSourceComponent;
import org.hl7.fhir.r5.model.Base64BinaryType;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.UriType;
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
      AuditEventAgentComponent agent = agent(p, flags);
      agents.add(agent);
      e.addAgent(agent);
    }
    e.setSource(source(m.sources(), syslog, metadata, flags));

    for (ParticipantObjectIdentification o : objects) {
      e.addEntity(entity(o, flags));
    }
    for (int i = 0; i < m.participants().size(); i++) {
      CodedValue media = m.participants().get(i).mediaType();
      if (media != null) {
        e.addEntity(mediaEntity(media, agents.get(i)));
      }
    }
    if (patient != null) {
      e.setPatient(patientReference(patient));
    }
    BalpPattern pattern = BalpShaper.recognise(m, patient != null);
    if (pattern != null) {
      BalpShaper.shape(e, m, pattern);
    }

    e.addExtension(new Extension(Extensions.CORRELATION_ID, new StringType(idBase)));
    if (syslog.format() != SyslogFormat.NONE) {
      e.addExtension(syslogHeader(syslog, flags));
    }
    e.addExtension(receipt(metadata, sha256Hex));
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

  private static AuditEventAgentComponent agent(ActiveParticipant p, Set<ConversionFlag> flags) {
    AuditEventAgentComponent a = new AuditEventAgentComponent();
    Reference who = new Reference();
    if (!p.userId().isEmpty()) {
      who.setIdentifier(new Identifier().setValue(p.userId()));
    } else {
      flags.add(ConversionFlag.USER_ID_MISSING);
      if (p.userName() == null) {
        who.addExtension(Extensions.HL7_DATA_ABSENT_REASON, new CodeType("unknown"));
      }
    }
    if (p.userName() != null) {
      who.setDisplay(p.userName());
    }
    a.setWho(who);
    if (p.userIsRequestor() != null) {
      a.setRequestor(p.userIsRequestor());
    } else {
      a.setRequestor(true);
      flags.add(ConversionFlag.REQUESTOR_DEFAULTED);
    }
    List<CodedValue> roles = p.roleIdCodes();
    for (int i = 0; i < roles.size(); i++) {
      CodeableConcept cc = Codings.concept(roles.get(i), Context.ROLE_ID);
      if (i == 0) {
        a.setType(cc);
      } else {
        a.addRole(cc);
      }
    }
    if (p.networkAccessPointId() != null) {
      network(a, p.networkAccessPointId(), p.networkAccessPointTypeCode());
    }
    if (p.alternativeUserId() != null) {
      a.addExtension(
          Extensions.HL7_ALTERNATIVE_USER_ID, new Identifier().setValue(p.alternativeUserId()));
    }
    return a;
  }

  /**
   * NetworkAccessPointID by TypeCode (R5 agent.network[x]): 1 host, 2 IP as {@code [ip]}, 3 tel:, 4
   * mailto:, 5 URI.
   */
  private static void network(AuditEventAgentComponent a, String id, @Nullable String type) {
    String t = type == null ? "" : type;
    switch (t) {
      case "1" -> a.setNetwork(new StringType(id));
      case "2" -> a.setNetwork(new StringType(id.startsWith("[") ? id : "[" + id + "]"));
      case "3" ->
          a.setNetwork(new UriType(id.regionMatches(true, 0, "tel:", 0, 4) ? id : "tel:" + id));
      case "4" ->
          a.setNetwork(
              new UriType(id.regionMatches(true, 0, "mailto:", 0, 7) ? id : "mailto:" + id));
      case "5" -> a.setNetwork(new UriType(id));
      default -> a.setNetwork(id.contains("://") ? new UriType(id) : new StringType(id));
    }
    Coding networkType = t.isEmpty() ? null : NetworkAccessPointType.coding(t);
    if (networkType != null) {
      a.addExtension(Extensions.NETWORK_ACCESS_POINT_TYPE, networkType);
    }
  }

  private static AuditEventSourceComponent source(
      List<AuditSourceIdentification> sources,
      SyslogRecord syslog,
      RawMetadata metadata,
      Set<ConversionFlag> flags) {
    AuditEventSourceComponent s = new AuditEventSourceComponent();
    AuditSourceIdentification first = sources.isEmpty() ? null : sources.get(0);
    if (sources.size() > 1) {
      flags.add(ConversionFlag.EXTRA_SOURCES_IGNORED);
    }
    String observer =
        first == null || first.auditSourceId().isEmpty() ? null : first.auditSourceId();
    if (observer == null) {
      flags.add(ConversionFlag.SOURCE_MISSING);
      observer = syslog.hostname() != null ? syslog.hostname() : metadata.peer();
    }
    if (observer != null) {
      s.setObserver(
          new Reference().setIdentifier(new Identifier().setValue(observer)).setDisplay(observer));
    } else {
      Reference unknown = new Reference();
      unknown.addExtension(Extensions.HL7_DATA_ABSENT_REASON, new CodeType("unknown"));
      s.setObserver(unknown);
    }
    if (first != null) {
      if (first.enterpriseSiteId() != null) {
        s.setSite(
            new Reference()
                .setIdentifier(new Identifier().setValue(first.enterpriseSiteId()))
                .setDisplay(first.enterpriseSiteId()));
      }
      for (CodedValue t : first.typeCodes()) {
        s.addType(Codings.concept(t, Context.SOURCE_TYPE));
      }
    }
    return s;
  }

  private static AuditEventEntityComponent entity(
      ParticipantObjectIdentification o, Set<ConversionFlag> flags) {
    AuditEventEntityComponent en = new AuditEventEntityComponent();
    Reference what = new Reference();
    if (o.isPatient() && o.id() != null) {
      what.setIdentifier(patientIdentifier(o));
      if (!what.getIdentifier().getValue().equals(o.id())) {
        en.addExtension(Extensions.PARTICIPANT_OBJECT_ID, new StringType(o.id()));
      }
    } else if (o.id() != null || o.idTypeCode() != null) {
      Identifier identifier = new Identifier();
      if (o.id() != null) {
        identifier.setValue(o.id());
      }
      if (o.idTypeCode() != null) {
        identifier.setType(Codings.concept(o.idTypeCode(), Context.OBJECT_ID_TYPE));
      }
      what.setIdentifier(identifier);
    }
    if (o.name() != null) {
      what.setDisplay(o.name());
    }
    String resourceType = resourceType(o);
    if (resourceType != null) {
      what.setType(resourceType);
    }
    if (!what.isEmpty()) {
      en.setWhat(what);
    }
    if (o.typeCode() != null) {
      Coding type = Codings.entityType(o.typeCode());
      if (type != null) {
        en.addExtension(Extensions.PARTICIPANT_OBJECT_TYPE, type);
      } else {
        flags.add(ConversionFlag.CODE_OUT_OF_RANGE);
      }
    }
    if (o.typeCodeRole() != null) {
      Coding role = Codings.objectRole(o.typeCodeRole());
      if (role != null) {
        en.setRole(new CodeableConcept().addCoding(role));
      } else {
        en.setRole(new CodeableConcept().setText(o.typeCodeRole()));
        flags.add(ConversionFlag.CODE_OUT_OF_RANGE);
      }
    }
    if (o.dataLifeCycle() != null) {
      en.addExtension(Extensions.HL7_LIFECYCLE, Codings.lifecycle(o.dataLifeCycle()));
    }
    if (o.sensitivity() != null) {
      en.addSecurityLabel(new CodeableConcept().setText(o.sensitivity()));
    }
    if (o.query() != null) {
      byte[] decoded = decodeBase64(o.query());
      if (decoded != null) {
        en.setQueryElement(new Base64BinaryType(decoded));
      } else {
        en.setQuery(o.query().getBytes(StandardCharsets.UTF_8));
        flags.add(ConversionFlag.QUERY_NOT_BASE64);
      }
    }
    for (Detail d : o.details()) {
      AuditEventEntityDetailComponent detail = en.addDetail();
      detail.setType(new CodeableConcept().setText(d.type()));
      byte[] decoded = decodeBase64(d.value());
      if (decoded != null) {
        detail.setValue(new Base64BinaryType(decoded));
      } else {
        detail.setValue(new StringType(d.value()));
        flags.add(ConversionFlag.DETAIL_NOT_BASE64);
      }
    }
    for (Description d : o.descriptions()) {
      Extension ext = description(d);
      if (ext.hasExtension()) {
        en.addExtension(ext);
      }
    }
    return en;
  }

  /**
   * The resource type a participant object stands for (R5 dropped entity.type), from what TypeCode,
   * role and IDTypeCode say unambiguously; null when they do not.
   */
  private static @Nullable String resourceType(ParticipantObjectIdentification o) {
    if (o.isPatient()) {
      return "Patient";
    }
    String idType = o.idTypeCode() == null ? "" : o.idTypeCode().code();
    if ("110180".equals(idType)) {
      return "ImagingStudy"; // DCM Study Instance UID
    }
    if (XDS_SUBMISSION_SET.equalsIgnoreCase(idType)) {
      return "List"; // an XDS submission set is an MHD List
    }
    String type = o.typeCode() == null ? "" : o.typeCode();
    String role = o.typeCodeRole() == null ? "" : o.typeCodeRole();
    if (type.equals("3")) {
      return "Organization";
    }
    if (type.equals("1") && (role.equals("8") || role.equals("15"))) {
      return "Practitioner"; // Doctor, Provider
    }
    if (role.equals("2")) {
      return "Location";
    }
    if (type.equals("2") && role.equals("3")) {
      return "DocumentReference"; // a report (XDS document entry)
    }
    return null;
  }

  /**
   * XDS submission set classification node (ITI TF-3 §4.2.5), used as a
   * ParticipantObjectIDTypeCode.
   */
  private static final String XDS_SUBMISSION_SET = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd";

  private static Identifier patientIdentifier(ParticipantObjectIdentification o) {
    HL7Identifier cx = HL7Identifier.parse(o.id() == null ? "" : o.id());
    Identifier id = new Identifier().setValue(cx.value());
    if (cx.system() != null) {
      id.setSystem(cx.system());
    }
    if (cx.assigner() != null) {
      id.setAssigner(new Reference().setDisplay(cx.assigner()));
    }
    CodeableConcept type =
        o.idTypeCode() == null
            ? new CodeableConcept()
            : Codings.concept(o.idTypeCode(), Context.OBJECT_ID_TYPE);
    if (cx.typeCode() != null) {
      type.addCoding(new Coding(CodeSystems.V2_IDENTIFIER_TYPE, cx.typeCode(), null));
    }
    if (!type.isEmpty()) {
      id.setType(type);
    }
    return id;
  }

  private static Reference patientReference(ParticipantObjectIdentification o) {
    Identifier full = patientIdentifier(o);
    Reference r =
        new Reference()
            .setType("Patient")
            .setIdentifier(new Identifier().setSystem(full.getSystem()).setValue(full.getValue()));
    if (o.name() != null) {
      r.setDisplay(o.name());
    }
    return r;
  }

  /**
   * MediaIdentifier/MediaType as an entity whose {@code agent} is the participant that used it (R5
   * entity.agent).
   */
  private static AuditEventEntityComponent mediaEntity(
      CodedValue media, AuditEventAgentComponent agent) {
    AuditEventEntityComponent en = new AuditEventEntityComponent();
    en.setWhat(
        new Reference()
            .setType("Device")
            .setIdentifier(new Identifier().setType(Codings.concept(media, Context.MEDIA_TYPE)))
            .setDisplay(media.meaning() != null ? media.meaning() : media.code()));
    en.addAgent(agent.copy());
    return en;
  }

  private static Extension description(Description d) {
    Extension ext = new Extension(Extensions.PARTICIPANT_OBJECT_DESCRIPTION);
    if (d.text() != null) {
      ext.addExtension(Extensions.DESCRIPTION_TEXT, new StringType(d.text()));
    }
    d.mppsUids().forEach(u -> ext.addExtension("mpps", new Identifier().setValue(u)));
    d.accessionNumbers().forEach(n -> ext.addExtension("accession", new Identifier().setValue(n)));
    d.studyUids().forEach(u -> ext.addExtension("study", new Identifier().setValue(u)));
    for (SopClass s : d.sopClasses()) {
      Extension sop = new Extension("sop-class");
      sop.addExtension("uid", new StringType(s.uid()));
      if (s.numberOfInstances() != null) {
        sop.addExtension("number-of-instances", new StringType(s.numberOfInstances()));
      }
      s.instanceUids().forEach(u -> sop.addExtension("instance", new StringType(u)));
      ext.addExtension(sop);
    }
    if (d.encrypted() != null) {
      ext.addExtension("encrypted", new BooleanType(d.encrypted()));
    }
    if (d.anonymized() != null) {
      ext.addExtension("anonymized", new BooleanType(d.anonymized()));
    }
    return ext;
  }

  private static Extension syslogHeader(SyslogRecord s, Set<ConversionFlag> flags) {
    Extension ext = new Extension(Extensions.SYSLOG_HEADER);
    ext.addExtension(
        Extensions.SYSLOG_FORMAT,
        new CodeType(
            switch (s.format()) {
              case RFC5424 -> "rfc5424";
              case RFC3164 -> "rfc3164";
              case PRI_ONLY -> "pri-only";
              case NONE -> "none";
            }));
    if (s.facility() != null) {
      ext.addExtension(Extensions.SYSLOG_FACILITY, new IntegerType(s.facility()));
    }
    if (s.severity() != null) {
      ext.addExtension(Extensions.SYSLOG_SEVERITY, new IntegerType(s.severity()));
    }
    addString(ext, Extensions.SYSLOG_HOSTNAME, s.hostname());
    addString(ext, Extensions.SYSLOG_APP_NAME, s.appName());
    addString(ext, Extensions.SYSLOG_PROCID, s.procId());
    addString(ext, Extensions.SYSLOG_MSGID, s.msgId());
    addString(ext, Extensions.SYSLOG_TIMESTAMP, s.rawTimestamp());
    addString(ext, Extensions.SYSLOG_STRUCTURED_DATA, s.rawStructuredData());
    for (var f : s.flags()) {
      switch (f) {
        case TIMESTAMP_INVALID -> flags.add(ConversionFlag.SYSLOG_TIMESTAMP_INVALID);
        case YEAR_ASSUMED -> flags.add(ConversionFlag.SYSLOG_YEAR_ASSUMED);
        case ZONE_ASSUMED -> flags.add(ConversionFlag.SYSLOG_ZONE_ASSUMED);
        case PRI_INVALID -> flags.add(ConversionFlag.SYSLOG_PRI_INVALID);
        case STRUCTURED_DATA_INVALID -> flags.add(ConversionFlag.SYSLOG_STRUCTURED_DATA_INVALID);
        case BOM -> {
          /* explicitly acceptable (ITI-20) */
        }
      }
    }
    return ext;
  }

  private static Extension receipt(RawMetadata m, String sha256Hex) {
    Extension ext = new Extension(Extensions.RAW_RECEIPT);
    ext.addExtension(Extensions.RECEIPT_TRANSPORT, new CodeType(m.transport()));
    addString(ext, Extensions.RECEIPT_PEER, m.peer());
    ext.addExtension(Extensions.RECEIPT_RECEIVED_AT, new InstantType(m.receivedAt().toString()));
    addString(ext, Extensions.RECEIPT_LISTENER, m.listener());
    ext.addExtension(Extensions.RECEIPT_SHA256, new StringType(sha256Hex));
    return ext;
  }

  private static void addString(Extension ext, String url, @Nullable String value) {
    if (value != null) {
      ext.addExtension(url, new StringType(value));
    }
  }

  /**
   * The bytes of a base64 value, or null when it is not base64. The element is built from these
   * bytes: {@code new Base64BinaryType(String)} would decode and re-encode with commons-codec (two
   * 8 KiB buffers per value); HAPI stores the re-encoded form either way, so the output is the
   * same.
   */
  private static byte @Nullable [] decodeBase64(String s) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
