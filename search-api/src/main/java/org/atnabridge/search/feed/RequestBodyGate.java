package org.atnabridge.search.feed;

import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atnabridge.search.security.OutcomeResponses;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.jspecify.annotations.Nullable;

/**
 * What happens to a request body before HAPI reads it:
 *
 * <ul>
 *   <li>the size limit: a body larger than {@code maxBytes} is answered 413 with an
 *       OperationOutcome. A declared {@code Content-Length} is checked before anything is read; a
 *       chunked body is read into memory only up to the limit, so no more than the limit is ever
 *       buffered. The rest of an oversized body is read and discarded (up to {@value #MAX_DRAIN}
 *       octets) so the client, still sending, gets the 413 instead of a connection reset; a client
 *       that sent {@code Expect: 100-continue} is answered before it sends anything.
 *   <li>R4 intake: a feed POST ({@code /AuditEvent} or the base, for Bundles) whose Content-Type
 *       says {@code fhirVersion=4.0} is converted to R5 ({@link R4AuditEvents}) and handed on as if
 *       the client had sent R5, so it takes exactly the R5 path (validation, id, feed).
 *   <li>XML bodies with a document type declaration or nested too deep are answered 400 ({@link
 *       XmlBodyGuard}): FHIR XML has no DTD, and refusing it here keeps every parser behind from
 *       resolving or expanding entities.
 * </ul>
 */
public final class RequestBodyGate {

  /** The default limit, 5 MiB. */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 5L * 1024 * 1024;

  /** Smallest allowed limit: a single ordinary AuditEvent must always fit. */
  public static final long MIN_MAX_REQUEST_BYTES = 16L * 1024;

  /** Largest allowed limit: a body is held in one array. */
  public static final long MAX_MAX_REQUEST_BYTES = 1L << 30;

  private static final long MAX_DRAIN = 16L * 1024 * 1024;
  private static final Pattern FHIR_VERSION =
      Pattern.compile("(?i);\\s*fhirVersion\\s*=\\s*\"?([^;\"\\s]+)\"?");

  private final long maxBytes;
  private final boolean r4Base;

  /**
   * @param maxBytes largest accepted body in octets, {@value #MIN_MAX_REQUEST_BYTES}..{@value
   *     #MAX_MAX_REQUEST_BYTES}
   */
  public RequestBodyGate(long maxBytes) {
    this(maxBytes, false);
  }

  private RequestBodyGate(long maxBytes, boolean r4Base) {
    if (maxBytes < MIN_MAX_REQUEST_BYTES || maxBytes > MAX_MAX_REQUEST_BYTES) {
      throw new IllegalArgumentException(
          "maxRequestBytes must be "
              + MIN_MAX_REQUEST_BYTES
              + ".."
              + MAX_MAX_REQUEST_BYTES
              + ", got: "
              + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.r4Base = r4Base;
  }

  /**
   * The gate of the R4 base ({@code /fhir/R4}): the same limits, but feed bodies are R4 by the base
   * and stay as sent (its providers convert them); a {@code fhirVersion} other than 4.0 is answered
   * 415.
   */
  public static RequestBodyGate forR4Base(long maxBytes) {
    return new RequestBodyGate(maxBytes, true);
  }

  public long maxBytes() {
    return maxBytes;
  }

  /**
   * @return the request for HAPI (the same one, or one carrying the buffered or converted body), or
   *     null when this method has already answered (413, 415, or 400 for an invalid R4 body)
   */
  public @Nullable HttpServletRequest admit(
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > maxBytes) {
      refuseTooLarge(request, response, 0);
      return null;
    }
    String contentType = request.getContentType();
    String version = fhirVersion(contentType);
    boolean r4 = false;
    if (version != null && isFeedPost(request)) {
      boolean saysR4 = version.equals("4.0") || version.startsWith("4.0.");
      if (r4Base && !saysR4) {
        OutcomeResponses.write(
            response,
            415,
            OperationOutcome.IssueType.NOTSUPPORTED,
            "fhirVersion="
                + version
                + " is not supported on the R4 base: send 4.0, or R5 to /fhir");
        return null;
      } else if (saysR4) {
        r4 = !r4Base;
      } else if (!version.equals("5.0") && !version.startsWith("5.0.")) {
        OutcomeResponses.write(
            response,
            415,
            OperationOutcome.IssueType.NOTSUPPORTED,
            "fhirVersion=" + version + " is not supported: send 5.0 (R5) or 4.0 (R4 AuditEvents)");
        return null;
      }
    }
    boolean chunked = declared < 0 && request.getHeader("Transfer-Encoding") != null;
    boolean xml = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("xml");
    if (!chunked && !r4 && !(xml && declared > 0)) {
      return request; // no body, or a non-XML one whose declared length is within the limit
    }
    ByteArrayOutputStream buffer =
        new ByteArrayOutputStream((int) Math.min(Math.max(declared, 8192), maxBytes));
    InputStream in = request.getInputStream();
    byte[] chunk = new byte[8192];
    for (int n; (n = in.read(chunk)) >= 0; ) {
      if (buffer.size() + (long) n > maxBytes) {
        refuseTooLarge(request, response, buffer.size() + (long) n);
        return null;
      }
      buffer.write(chunk, 0, n);
    }
    byte[] body = buffer.toByteArray();
    String xmlRefusal = xml ? XmlBodyGuard.refusal(body) : null;
    if (xmlRefusal != null) {
      OutcomeResponses.write(response, 400, OperationOutcome.IssueType.SECURITY, xmlRefusal);
      return null;
    }
    if (!r4) {
      return new BufferedRequest(request, body, contentType);
    }
    try {
      byte[] r5 = R4AuditEvents.toR5(body, xml);
      return new BufferedRequest(
          request,
          r5,
          (xml ? Constants.CT_FHIR_XML_NEW : Constants.CT_FHIR_JSON_NEW) + ";charset=utf-8");
    } catch (BaseServerResponseException e) {
      OutcomeResponses.write(
          response, e.getStatusCode(), OperationOutcome.IssueType.INVALID, e.getMessage());
      return null;
    }
  }

  /** The {@code fhirVersion} parameter of a FHIR media type, or null. */
  static @Nullable String fhirVersion(@Nullable String contentType) {
    if (contentType == null) {
      return null;
    }
    Matcher m = FHIR_VERSION.matcher(contentType);
    return m.find() ? m.group(1) : null;
  }

  private static boolean isFeedPost(HttpServletRequest request) {
    if (!"POST".equalsIgnoreCase(request.getMethod())) {
      return false;
    }
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    return path.isEmpty()
        || path.equals("/")
        || path.equals("/AuditEvent")
        || path.equals("/AuditEvent/");
  }

  private void refuseTooLarge(
      HttpServletRequest request, HttpServletResponse response, long alreadyRead)
      throws IOException {
    long declared = request.getContentLengthLong();
    boolean waitingForContinue =
        alreadyRead == 0 && "100-continue".equalsIgnoreCase(request.getHeader("Expect"));
    if (declared > MAX_DRAIN || waitingForContinue) {
      // a client that asked "Expect: 100-continue" has sent nothing yet and now never will
      response.setHeader("Connection", "close");
    } else {
      long read = alreadyRead;
      InputStream in = request.getInputStream();
      byte[] chunk = new byte[8192];
      for (int n; read <= MAX_DRAIN && (n = in.read(chunk)) >= 0; ) {
        read += n;
      }
      if (read > MAX_DRAIN) {
        response.setHeader("Connection", "close");
      }
    }
    OutcomeResponses.write(
        response,
        413,
        OperationOutcome.IssueType.TOOCOSTLY,
        "the request body is larger than the limit of " + maxBytes + " octets");
  }

  /** The request with its body already in memory (and, for R4, its R5 Content-Type). */
  private static final class BufferedRequest extends HttpServletRequestWrapper {
    private final byte[] body;
    private final @Nullable String contentType;

    BufferedRequest(HttpServletRequest request, byte[] body, @Nullable String contentType) {
      super(request);
      this.body = body;
      this.contentType = contentType;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("blocking reads only");
        }
      };
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }

    @Override
    public @Nullable String getContentType() {
      return contentType;
    }

    @Override
    public @Nullable String getHeader(String name) {
      if (name.equalsIgnoreCase("Content-Type")) {
        return contentType;
      }
      if (name.equalsIgnoreCase("Content-Length")) {
        return Integer.toString(body.length);
      }
      if (name.equalsIgnoreCase("Transfer-Encoding")) {
        return null;
      }
      return super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      if (name.equalsIgnoreCase("Content-Type")
          || name.equalsIgnoreCase("Content-Length")
          || name.equalsIgnoreCase("Transfer-Encoding")) {
        String v = getHeader(name);
        return Collections.enumeration(v == null ? java.util.List.of() : java.util.List.of(v));
      }
      return super.getHeaders(name);
    }
  }
}
