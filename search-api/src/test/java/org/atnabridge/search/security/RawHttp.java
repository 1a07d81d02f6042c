package org.atnabridge.search.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Requests written byte for byte on a socket, for what java.net.http will not send: a forged {@code
 * Host}, a 10 KiB URI, an oversized header, a path Jetty calls ambiguous.
 */
final class RawHttp {

  /** Status, headers (lower-case names, last value wins) and body of one response. */
  record Answer(int status, Map<String, String> headers, String body) {}

  private RawHttp() {}

  /** Sends {@code request} (with {@code Connection: close} in it) and reads to the end. */
  static Answer exchange(int port, String request) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // a reset after the answer: keep what came
      if (out.size() == 0) {
        throw e;
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static Answer parse(String raw) {
    int end = raw.indexOf("\r\n\r\n");
    String head = end < 0 ? raw : raw.substring(0, end);
    String[] lines = head.split("\r\n");
    String[] statusLine = lines[0].split(" ");
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
      return new Answer(-1, Map.of(), raw); // closed without an answer
    }
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    String body = end < 0 ? "" : raw.substring(end + 4);
    return new Answer(
        status,
        headers,
        "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? dechunk(body) : body);
  }

  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < chunked.length()) {
      int eol = chunked.indexOf("\r\n", at);
      if (eol < 0) {
        break;
      }
      int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
      at = eol + 2 + size + 2;
    }
    return out.toString();
  }
}
