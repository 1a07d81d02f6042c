package org.atnabridge.accesslog;

import static org.atnabridge.schemas.vocab.CodeSystems.AUDIT_EVENT_OUTCOME;
import static org.atnabridge.schemas.vocab.CodeSystems.AUDIT_EVENT_TYPE;
import static org.atnabridge.schemas.vocab.CodeSystems.BALP_ENTITY_TYPE;
import static org.atnabridge.schemas.vocab.CodeSystems.BALP_PATTERN;
import static org.atnabridge.schemas.vocab.CodeSystems.CONVERSION_FLAG;
import static org.atnabridge.schemas.vocab.CodeSystems.DCM;
import static org.atnabridge.schemas.vocab.CodeSystems.OBJECT_ROLE;
import static org.atnabridge.schemas.vocab.CodeSystems.PROVENANCE_PARTICIPANT_TYPE;
import static org.atnabridge.schemas.vocab.CodeSystems.RESTFUL_INTERACTION;
import static org.atnabridge.schemas.vocab.CodeSystems.SECURITY_SOURCE_TYPE;
import static org.atnabridge.schemas.vocab.CodeSystems.V3_PARTICIPATION_TYPE;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.regex.Pattern;
import org.atnabridge.schemas.scrub.LineScrubber;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * One access log request → one BALP-shaped R5 AuditEvent (IHE BALP 1.1.4 RESTful patterns, R5
 * element names): category {@code rest}, code the restful interaction, action, outcome from the
 * HTTP status, client / server / user / OAuth client agents, source.observer, and the transaction,
 * data, query and patient entities. Stateless.
 */
final class BalpEventBuilder {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** An IPv6 literal: hex digits and at least two colons (a host:port has one). */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:.]*");

  private BalpEventBuilder() {}

  /**
   * What the builder needs besides the parsed line.
   *
   * @param scrubbedLine the line as the converter read it, secrets masked ({@link LineScrubber}):
   *     the event's {@code access-log-line}
   */
  record Input(
      AccessLogRecord line,
      String scrubbedLine,
      RestRequest request,
      AccessLogSource source,
      LineOrigin origin,
      String scrubbedTarget,
      @Nullable PatientRef patient,
      String id,
      String correlationId) {}

  static AuditEvent build(Input in) {
    AccessLogRecord line = in.line();
    RestRequest r = in.request();
    Interaction i = r.interaction();
    // an operation by GET changes nothing (FHIR R5 operations.html §6.1.0.2): a query, not a write
    Interaction.Direction direction =
        i == Interaction.OPERATION && line.method().equals("GET")
            ? Interaction.Direction.QUERY
            : i.direction();
    AuditEvent e = new AuditEvent();
    e.setId(in.id());

    e.addCategory(new CodeableConcept(new Coding(AUDIT_EVENT_TYPE, "rest", "Restful Operation")));
    e.setCode(new CodeableConcept(new Coding(RESTFUL_INTERACTION, i.code(), i.display())));
    e.setAction(i.action());
    if (line.time() != null) {
      e.setRecorded(Date.from(line.time()));
    } else {
      e.setRecorded(Date.from(in.origin().receivedAt()));
      e.getMeta().addTag(CONVERSION_FLAG, "recorded-from-receipt", null);
    }
    outcome(e, line);

    String observer = observer(in.source(), in.origin());
    String clientAddress = clientAddress(line, in.source());
    String userName = line.user() == null ? null : printable(line.user());
    String oauthClient = line.clientId() == null ? null : printable(line.clientId());
    boolean userPresent = userName != null;
    boolean oauthClientPresent = oauthClient != null;

    AuditEventAgentComponent client = e.addAgent();
    client.setType(new CodeableConcept(clientType(direction)));
    client.setWho(identified(clientAddress));
    client.setRequestor(!userPresent && !oauthClientPresent);
    if (clientAddress != null) {
      client.setNetwork(new StringType(network(clientAddress)));
    }

    AuditEventAgentComponent server = e.addAgent();
    server.setType(new CodeableConcept(serverType(direction)));
    server.setWho(identified(observer));
    server.setRequestor(false);
    String authority = line.authority();
    String serverNetwork = authority != null ? printable(authority) : observer;
    if (serverNetwork != null) {
      server.setNetwork(new StringType(network(serverNetwork)));
    }

    if (userName != null) {
      AuditEventAgentComponent user = e.addAgent();
      user.setType(
          new CodeableConcept(
              direction == Interaction.Direction.READ || direction == Interaction.Direction.QUERY
                  ? new Coding(V3_PARTICIPATION_TYPE, "IRCP", "information recipient")
                  : new Coding(V3_PARTICIPATION_TYPE, "AUT", "author (originator)")));
      user.setWho(
          new Reference().setIdentifier(new Identifier().setValue(userName)).setDisplay(userName));
      user.setRequestor(true);
    }
    if (oauthClient != null) {
      // IHE.BasicAudit.OAUTHaccessTokenUse.Comprehensive oClient: the OAuth client by client_id
      AuditEventAgentComponent oauth = e.addAgent();
      oauth.setType(new CodeableConcept(new Coding(DCM, "110150", "Application")));
      oauth.setWho(new Reference().setIdentifier(new Identifier().setValue(oauthClient)));
      oauth.setRequestor(!userPresent);
    }

    e.getSource()
        .setObserver(observerReference(observer))
        .addType(new CodeableConcept(new Coding(SECURITY_SOURCE_TYPE, "3", "Web Server")));

    String requestId = line.requestId();
    if (requestId != null) {
      // BALP "transaction" entity: correlates the client's, the proxy's and the server's records
      e.addEntity()
          .setWhat(new Reference().setIdentifier(new Identifier().setValue(printable(requestId))))
          .setRole(new CodeableConcept(new Coding(BALP_ENTITY_TYPE, "XrequestId", "X-Request-Id")));
    }
    AuditEventEntityComponent data = dataEntity(r);
    if (data != null) {
      e.addEntity(data);
    }
    if (i.search()
        || i == Interaction.HISTORY_TYPE
        || i == Interaction.HISTORY_SYSTEM
        || r.query() != null) {
      e.addEntity(queryEntity(line.method(), in.scrubbedTarget(), r.query()));
    }
    PatientRef patient = in.patient();
    if (patient != null) {
      Reference ref = patientReference(patient);
      e.setPatient(ref.copy());
      e.addEntity()
          .setWhat(ref)
          .setRole(new CodeableConcept(new Coding(OBJECT_ROLE, "1", "Patient")));
    }
    // BALP's RESTful profiles fix outcome to 0: a failed request follows the pattern but does not
    // conform to it, so only a success claims it
    String pattern = line.status() < 400 ? balpPattern(i, patient != null) : null;
    if (pattern != null) {
      e.getMeta().addTag(BALP_PATTERN, pattern, "BALP " + pattern);
    }

    e.addExtension(new Extension(Extensions.CORRELATION_ID, new StringType(in.correlationId())));
    e.addExtension(new Extension(Extensions.ACCESS_LOG_SOURCE, new StringType(in.source().name())));
    // the evidence the event was read from; as sensitive as the event (returned only with it)
    e.addExtension(new Extension(Extensions.ACCESS_LOG_LINE, new StringType(in.scrubbedLine())));
    return e;
  }

  /**
   * 2xx and 3xx: 0 success; 4xx: 4 minor failure (a 401/403 is audited like any other line); 5xx: 8
   * serious failure (THO audit-event-outcome, as BALP and the ATNA path write it). The status
   * itself is in {@code outcome.detail.text}.
   */
  static Coding outcomeCode(int status) {
    if (status >= 500) {
      return new Coding(AUDIT_EVENT_OUTCOME, "8", "Serious failure");
    }
    if (status >= 400) {
      return new Coding(AUDIT_EVENT_OUTCOME, "4", "Minor failure");
    }
    return new Coding(AUDIT_EVENT_OUTCOME, "0", "Success");
  }

  private static void outcome(AuditEvent e, AccessLogRecord line) {
    e.getOutcome().setCode(outcomeCode(line.status()));
    e.getOutcome().addDetail(new CodeableConcept().setText("HTTP " + line.status()));
    String upstream = line.upstreamStatus();
    if (upstream != null && !upstream.equals(String.valueOf(line.status()))) {
      e.getOutcome()
          .addDetail(new CodeableConcept().setText("upstream HTTP " + printable(upstream)));
    }
  }

  private static Coding clientType(Interaction.Direction d) {
    return switch (d) {
      case READ -> new Coding(DCM, "110152", "Destination Role ID");
      case DELETE -> new Coding(DCM, "110150", "Application");
      case WRITE, QUERY -> new Coding(DCM, "110153", "Source Role ID");
    };
  }

  private static Coding serverType(Interaction.Direction d) {
    return switch (d) {
      case READ -> new Coding(DCM, "110153", "Source Role ID");
      case DELETE -> new Coding(PROVENANCE_PARTICIPANT_TYPE, "custodian", "Custodian");
      case WRITE, QUERY -> new Coding(DCM, "110152", "Destination Role ID");
    };
  }

  /** The BALP profile id the event follows, null for interactions BALP has no pattern for. */
  static @Nullable String balpPattern(Interaction i, boolean patient) {
    String base =
        switch (i) {
          case READ, VREAD -> "Read";
          case CREATE -> "Create";
          case UPDATE, PATCH -> "Update";
          case DELETE -> "Delete";
          case SEARCH_TYPE, SEARCH_SYSTEM, SEARCH_COMPARTMENT -> "Query";
          default -> null;
        };
    return base == null ? null : "IHE.BasicAudit." + (patient ? "Patient" + base : base);
  }

  private static @Nullable AuditEventEntityComponent dataEntity(RestRequest r) {
    Interaction i = r.interaction();
    if (i.search() || i == Interaction.HISTORY_TYPE || i == Interaction.HISTORY_SYSTEM) {
      return null; // BALP Query: no data entity, the query entity says what was asked
    }
    Reference what;
    String reference = r.reference();
    if (reference != null) {
      what = new Reference(reference);
      if (r.operation() != null) {
        what.setDisplay(r.operation());
      }
    } else if (i == Interaction.CAPABILITIES) {
      what = new Reference().setType("CapabilityStatement").setDisplay("metadata");
    } else if (i == Interaction.BATCH_OR_TRANSACTION) {
      what = new Reference().setType("Bundle").setDisplay("Bundle");
    } else if (r.resourceType() != null) {
      // create, conditional update/patch/delete, type-level operation: the type, no instance yet
      String type = r.resourceType();
      what =
          new Reference()
              .setType(type)
              .setDisplay(r.operation() == null ? type : type + "/" + r.operation());
    } else if (r.operation() != null) {
      what = new Reference().setDisplay(r.operation());
    } else {
      return null;
    }
    return new AuditEventEntityComponent()
        .setWhat(what)
        .setRole(new CodeableConcept(new Coding(OBJECT_ROLE, "4", "Domain Resource")));
  }

  /**
   * BALP query entity: {@code query} = base64 of the request as logged (method and scrubbed target;
   * a log has no headers or body), the decoded scrubbed query string as a detail.
   */
  private static AuditEventEntityComponent queryEntity(
      String method, String scrubbedTarget, @Nullable String query) {
    AuditEventEntityComponent q = new AuditEventEntityComponent();
    q.setRole(new CodeableConcept(new Coding(OBJECT_ROLE, "24", "Query")));
    q.setQuery((method + " " + scrubbedTarget).getBytes(StandardCharsets.UTF_8));
    if (query != null && !query.isEmpty()) {
      q.addDetail()
          .setType(new CodeableConcept().setText("query-string"))
          .setValue(new StringType(printable(PercentDecoding.decodeQuiet(query, true))));
    }
    return q;
  }

  private static Reference patientReference(PatientRef p) {
    if (p.id() != null) {
      return new Reference("Patient/" + p.id());
    }
    String value = p.value();
    Identifier id = new Identifier().setValue(value == null ? null : printable(value));
    if (p.system() != null) {
      id.setSystem(p.system());
    }
    return new Reference().setType("Patient").setIdentifier(id);
  }

  /** The source file's identity, else the syslog hostname, else the sender's host. */
  static @Nullable String observer(AccessLogSource source, LineOrigin origin) {
    if (source.observer() != null) {
      return source.observer();
    }
    if (origin.hostname() != null && !origin.hostname().isBlank()) {
      return origin.hostname();
    }
    String peer = origin.peer();
    if (peer == null || peer.isBlank()) {
      return null;
    }
    if (peer.startsWith("[")) {
      int close = peer.indexOf(']');
      return close < 0 ? peer : peer.substring(1, close);
    }
    int colon = peer.indexOf(':');
    return colon > 0 && colon == peer.lastIndexOf(':') ? peer.substring(0, colon) : peer;
  }

  /**
   * The client: the first X-Forwarded-For address when the source trusts the header, else the peer
   * that connected; Envoy's default format logs no peer, so there it is the last X-Forwarded-For
   * address (the hop nearest Envoy).
   */
  static @Nullable String clientAddress(AccessLogRecord line, AccessLogSource source) {
    String xff = line.forwardedFor();
    if (xff != null && source.trustForwardedFor()) {
      String first = xff.split(",", -1)[0].strip();
      if (!first.isEmpty()) {
        return printable(first);
      }
    }
    if (line.remoteAddress() != null) {
      return printable(line.remoteAddress());
    }
    if (xff != null) {
      String[] hops = xff.split(",", -1);
      String last = hops[hops.length - 1].strip();
      return last.isEmpty() ? null : printable(last);
    }
    return null;
  }

  /** R5 agent.network[x]: numeric addresses in literal-style brackets, host names as they are. */
  static String network(String address) {
    if (address.startsWith("[")) {
      return address;
    }
    return IPV6.matcher(address).matches() || IPV4.matcher(address).matches()
        ? "[" + address + "]"
        : address;
  }

  private static Reference identified(@Nullable String value) {
    Reference who = new Reference();
    if (value != null) {
      who.setIdentifier(new Identifier().setValue(value));
    } else {
      who.addExtension(Extensions.HL7_DATA_ABSENT_REASON, new CodeType("unknown"));
    }
    return who;
  }

  private static Reference observerReference(@Nullable String observer) {
    Reference r = identified(observer);
    if (observer != null) {
      r.setDisplay(observer);
    }
    return r;
  }

  /**
   * Control characters (from nginx hex escapes or JSON) as backslash-u escapes: output stays one
   * line.
   */
  static String printable(String s) {
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < 0x20 || c == 0x7f) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int j = 0; j < s.length(); j++) {
          char d = s.charAt(j);
          if (d < 0x20 || d == 0x7f) {
            b.append(String.format("\\u%04x", (int) d));
          } else {
            b.append(d);
          }
        }
        return b.toString();
      }
    }
    return s;
  }
}
