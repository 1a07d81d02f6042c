package org.atnabridge.search.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.scrub.IntakeScrubber;
import org.atnabridge.search.security.AuthenticationFilter;
import org.atnabridge.search.security.RequestAccess;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /ingest/access-logs[?source=NAME]}: newline-delimited access log lines ({@code
 * text/plain}, {@code atna.framing=line}) or NDJSON ({@code application/x-ndjson}, {@code ndjson}),
 * optionally {@code Content-Encoding: gzip}. Each non-blank line becomes one record on {@code
 * accesslog.raw} (key = the peer's IP address, the {@link RawHeaders} with {@code
 * atna.transport=http} and {@code accesslog.source}), its secret query values masked first ({@link
 * IntakeScrubber}, counted in {@value #SCRUBBED}{@code {intake=http}}).
 *
 * <p>Runs behind {@link AuthenticationFilter} (401 without a valid bearer token) and needs SMART
 * {@value #SCOPE} or a wider {@code system/} grant ({@code system/AuditEvent.cruds}, {@code
 * system/*.c}); other tokens get 403 {@code insufficient_scope} (RFC 6750 §3). Log shippers are
 * backend services (SMART Backend Services use {@code system/} scopes), so {@code user/} and {@code
 * patient/} grants do not count.
 *
 * <p>All or nothing before the first send: the whole body is read (bounded, {@link IntakeBody}),
 * split and checked; only then are records sent, and the answer is 202 {@code {"accepted": N}} once
 * the broker acknowledged every one, or 503 with {@code Retry-After} when it did not in time. 413
 * when the body, compressed or decoded, exceeds the limit, or when one line exceeds {@value
 * #MAX_LINE_BYTES} octets (the largest record {@code accesslog.raw} takes with the broker's default
 * {@code max.message.bytes}, headers included); nothing is written then. Shorter lines that are
 * long, invalid UTF-8 or unparseable are written and dead-lettered by the streams with a reason.
 * Lines and tokens are never logged.
 */
public final class AccessLogIntakeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AccessLogIntakeServlet.class);

  /** Where it is mounted. */
  public static final String PATH = "/ingest/access-logs";

  /** Counter of masked secret values; tag {@code intake}. */
  public static final String SCRUBBED = "atna.accesslog.scrubbed";

  /** The SMART v2 scope a poster needs. */
  public static final String SCOPE = "system/AuditEvent.c";

  /** The longest line written: larger records than about 1 MiB the broker refuses by default. */
  public static final int MAX_LINE_BYTES = 1_000_000;

  /** Default of the {@code source} query parameter. */
  public static final String DEFAULT_SOURCE = "default";

  private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String RETRY_AFTER_SECONDS = "10";

  /** ISO-8601 instant with microseconds, as the syslog listeners write {@code atna.received-at}. */
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final transient KafkaAccessLogWriter writer;
  private final transient IntakeScrubber scrubber;
  private final transient Counter scrubbed;
  private final long maxRequestBytes;
  private final transient Clock clock;

  /**
   * @param writer where the lines go, not owned
   * @param scrub query parameter names whose values are masked ({@code --access-log-scrub})
   * @param maxRequestBytes largest body, on the wire and decoded ({@code --max-request-bytes})
   */
  public AccessLogIntakeServlet(
      KafkaAccessLogWriter writer,
      Set<String> scrub,
      long maxRequestBytes,
      MeterRegistry registry,
      Clock clock) {
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("maxRequestBytes must be positive: " + maxRequestBytes);
    }
    this.writer = Objects.requireNonNull(writer, "writer");
    this.scrubber = new IntakeScrubber(scrub);
    this.maxRequestBytes = maxRequestBytes;
    this.clock = clock;
    this.scrubbed =
        Counter.builder(SCRUBBED)
            .description("secret query values masked in access log lines before storage")
            .tag("intake", "http")
            .register(registry);
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"POST".equals(request.getMethod())) {
      response.setHeader("Allow", "POST");
      IntakeResponses.refuse(
          response, 405, OperationOutcome.IssueType.NOTSUPPORTED, "only POST is served here");
      return;
    }
    if (!allowed()) {
      response.setHeader(
          "WWW-Authenticate",
          "Bearer realm=\""
              + AuthenticationFilter.REALM
              + "\", error=\"insufficient_scope\", scope=\""
              + SCOPE
              + "\"");
      IntakeResponses.refuse(
          response, 403, OperationOutcome.IssueType.FORBIDDEN, "insufficient scope");
      return;
    }
    String framing = framing(request.getContentType());
    if (framing == null) {
      IntakeResponses.refuse(
          response,
          415,
          OperationOutcome.IssueType.NOTSUPPORTED,
          "send text/plain (one line each) or application/x-ndjson");
      return;
    }
    String source = request.getParameter("source");
    if (source == null) {
      source = DEFAULT_SOURCE;
    } else if (!SOURCE.matcher(source).matches()) {
      IntakeResponses.refuse(
          response,
          400,
          OperationOutcome.IssueType.VALUE,
          "source must be 1 to 64 of A-Z a-z 0-9 . _ -");
      return;
    }
    Boolean gzip = gzip(request.getHeader("Content-Encoding"));
    if (gzip == null) {
      // RFC 9110 §15.5.16: an unsupported content coding is 415
      response.setHeader("Accept-Encoding", "gzip");
      IntakeResponses.refuse(
          response, 415, OperationOutcome.IssueType.NOTSUPPORTED, "content coding: gzip or none");
      return;
    }
    if (request.getContentLengthLong() > maxRequestBytes) {
      tooLarge(response, "the request body is larger than the limit of " + maxRequestBytes);
      return;
    }
    byte[] body;
    try {
      body = IntakeBody.read(request.getInputStream(), gzip, maxRequestBytes);
    } catch (IntakeBody.TooLargeException e) {
      tooLarge(
          response,
          "the request body"
              + (gzip ? ", compressed or decoded," : "")
              + " is larger than the limit of "
              + maxRequestBytes);
      return;
    } catch (IntakeBody.BadEncodingException e) {
      IntakeResponses.refuse(
          response, 400, OperationOutcome.IssueType.INVALID, "the body is not valid gzip");
      return;
    }
    List<byte[]> lines = Lines.split(body);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).length > MAX_LINE_BYTES) {
        tooLarge(
            response,
            "line " + (i + 1) + " is longer than the largest record of " + MAX_LINE_BYTES);
        return;
      }
    }
    write(request, response, lines, source, framing);
  }

  private void write(
      HttpServletRequest request,
      HttpServletResponse response,
      List<byte[]> lines,
      String source,
      String framing)
      throws IOException {
    String ip = request.getRemoteAddr();
    String peer = (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + request.getRemotePort();
    String receivedAt = MICROS.format(clock.instant());
    String listener = "http-ingest:" + request.getLocalPort();
    byte[] key = ip.getBytes(StandardCharsets.UTF_8);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(lines.size());
    int masked = 0;
    for (byte[] line : lines) {
      IntakeScrubber.Scrubbed value = scrubber.scrub(line);
      masked += value.masked();
      RecordHeaders headers = new RecordHeaders();
      RawHeaders.put(headers, RawHeaders.TRANSPORT, "http");
      RawHeaders.put(headers, RawHeaders.PEER, peer);
      RawHeaders.put(headers, RawHeaders.RECEIVED_AT, receivedAt);
      RawHeaders.put(headers, RawHeaders.LISTENER, listener);
      RawHeaders.put(headers, RawHeaders.FRAMING, framing);
      RawHeaders.put(headers, RawHeaders.ACCESS_LOG_SOURCE, source);
      records.add(
          new ProducerRecord<>(
              Topics.ACCESSLOG_RAW.name(), null, null, key, value.bytes(), headers));
    }
    try {
      writer.write(records);
    } catch (KafkaAccessLogWriter.UnavailableException e) {
      LOG.warn("{} access log lines from {} not accepted: {}", lines.size(), ip, e.getMessage());
      response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
      IntakeResponses.refuse(
          response,
          503,
          OperationOutcome.IssueType.TRANSIENT,
          "the lines could not be stored now; send them again later");
      return;
    }
    scrubbed.increment(masked);
    IntakeResponses.accepted(response, records.size());
  }

  private static boolean allowed() {
    RequestAccess access = RequestAccess.current();
    return access != null && access.caller().scopes().grants("system", "AuditEvent", "c");
  }

  /** {@code line}, {@code ndjson}, or null for any other media type. */
  static @Nullable String framing(@Nullable String contentType) {
    if (contentType == null) {
      return null;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "text/plain" -> "line";
      case "application/x-ndjson" -> "ndjson";
      default -> null;
    };
  }

  /** True for gzip, false for none or identity, null for any other coding. */
  private static @Nullable Boolean gzip(@Nullable String contentEncoding) {
    if (contentEncoding == null || contentEncoding.isBlank()) {
      return false;
    }
    return switch (contentEncoding.trim().toLowerCase(Locale.ROOT)) {
      case "gzip", "x-gzip" -> true;
      case "identity" -> false;
      default -> null;
    };
  }

  private static void tooLarge(HttpServletResponse response, String diagnostics)
      throws IOException {
    // the client may still be sending: it gets the answer, and the connection is not reused
    response.setHeader("Connection", "close");
    IntakeResponses.refuse(
        response, 413, OperationOutcome.IssueType.TOOCOSTLY, diagnostics + " octets");
  }
}
