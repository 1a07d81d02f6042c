package org.atnabridge.atna.fhir;

import java.util.List;
import java.util.Set;
import org.atnabridge.atna.dicom.AuditSourceIdentification;
import org.atnabridge.atna.dicom.CodedValue;
import org.atnabridge.atna.fhir.Codings.Context;
import org.atnabridge.atna.syslog.SyslogRecord;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventSourceComponent;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * Where a record came from: AuditSourceIdentification → AuditEvent.source, and the syslog header
 * and receipt extensions.
 */
final class SourceMapper {

  private SourceMapper() {}

  static AuditEventSourceComponent source(
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

  static Extension syslogHeader(SyslogRecord s, Set<ConversionFlag> flags) {
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

  static Extension receipt(RawMetadata m, String sha256Hex) {
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
}
