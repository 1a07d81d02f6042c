package org.atnabridge.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hl7.fhir.r5.formats.JsonCreator;
import org.hl7.fhir.r5.formats.JsonParser;
import org.hl7.fhir.r5.model.Base64BinaryType;
import org.hl7.fhir.r5.model.DecimalType;
import org.hl7.fhir.r5.model.DomainResource;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.IdType;
import org.hl7.fhir.r5.model.Integer64Type;
import org.hl7.fhir.r5.model.Resource;

/**
 * Compact FHIR R5 JSON without reflection: the HL7 core library's generated composer ({@link
 * org.hl7.fhir.r5.formats.JsonParser}, shipped with hapi-fhir-structures-r5) driving a UTF-8 byte
 * writer that escapes exactly as HAPI's (Jackson) encoder does. About 5× less CPU and allocation
 * than HAPI's reflective {@code IParser}.
 *
 * <p><b>Same bytes as HAPI</b> for every resource {@link #sameBytesAsHapi} accepts (proved for
 * every converted test vector and for hand-built events in {@code FastJsonEqualityTest},
 * atna-converter): element order is the StructureDefinition order in both, and the places where the
 * core composer differs from HAPI are overridden here — an extension's {@code url} comes right
 * after its {@code id}, {@code base64Binary} is written as stored (not decoded and re-encoded),
 * {@code decimal} keeps its original text and {@code integer64} is a JSON number as HAPI writes it.
 * Resources with {@code contained} resources, a narrative, or a versioned id are left to HAPI by
 * {@link Fhir#toJson} (HAPI renumbers contained ids, serializes XHTML its own way and strips base
 * URL / type / version from ids); {@link #write} still encodes them, with the same content (HAPI
 * parses both to {@code equalsDeep} resources).
 *
 * <p>Not thread-safe; {@link Fhir} keeps one per thread. The buffer is reused between calls.
 */
public final class FhirJsonWriter {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  /**
   * A buffer that grew beyond this is dropped after use, so one huge resource does not pin memory.
   */
  private static final int KEEP_BUFFER = 256 * 1024;

  private final Composer composer = new Composer();
  private final Out out = new Out();

  /** Whether {@link #write} gives exactly HAPI's bytes for this resource (see class docs). */
  public static boolean sameBytesAsHapi(Resource r) {
    if (r instanceof DomainResource d && (d.hasContained() || d.hasText())) {
      return false;
    }
    // HAPI writes only the id part of "Type/id" or "base/Type/id" (what a parse gives back), so
    // the writer does the same (composeIdCore); a version moves to meta.versionId there: HAPI's job
    String id = r.getIdElement().getValue();
    return id == null || id.indexOf('#') < 0 && !r.getIdElement().hasVersionIdPart();
  }

  /** Compact JSON as UTF-8. */
  public byte[] writeBytes(Resource r) {
    compose(r);
    byte[] bytes = Arrays.copyOf(out.buf, out.len);
    out.reset();
    return bytes;
  }

  /** Compact JSON. */
  public String write(Resource r) {
    compose(r);
    String s = new String(out.buf, 0, out.len, StandardCharsets.UTF_8);
    out.reset();
    return s;
  }

  private void compose(Resource r) {
    out.reset();
    try {
      out.beginObject();
      composer.compose(out, r);
      out.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // only from the composer's checks: the output is in memory
    } catch (RuntimeException e) {
      out.reset();
      throw e;
    }
  }

  /** The generated composer with HAPI's choices where they differ. */
  private static final class Composer extends JsonParser {

    /** Resource.id as HAPI writes it: the bare id part, whatever type or base URL it carries. */
    @Override
    protected void composeIdCore(String name, IdType value, boolean inArray) throws IOException {
      String v = value.getValue();
      if ("id".equals(name) && v != null && v.indexOf('/') >= 0) {
        IdType bare = new IdType(value.getIdPart());
        bare.setId(value.getId());
        bare.getExtension().addAll(value.getExtension());
        super.composeIdCore(name, bare, inArray);
        return;
      }
      super.composeIdCore(name, value, inArray);
    }

    @Override
    protected void composeExtensionProperties(Extension element) throws IOException {
      // HAPI: id, url, extension, value[x]; the core composer: id, extension, url, value[x]
      if (element.hasIdElement()) {
        composeStringCore("id", element.getIdElement(), false);
        composeStringExtras("id", element.getIdElement(), false);
      }
      if (element.hasUrlElement()) {
        composeUriCore("url", element.getUrlElement(), false);
        composeUriExtras("url", element.getUrlElement(), false);
      }
      if (element.hasExtension()) {
        openArray("extension");
        for (Extension e : element.getExtension()) {
          composeExtension(null, e);
        }
        closeArray();
      }
      if (element.hasValue()) {
        composeType("value", element.getValue());
      }
    }

    @Override
    protected void composeBase64BinaryCore(String name, Base64BinaryType value, boolean inArray)
        throws IOException {
      if (value != null && value.hasValue()) {
        prop(name, value.getValueAsString());
      } else if (inArray) {
        writeNull(name);
      }
    }

    /** HAPI writes integer64 as a JSON number (R5 says string); same bytes as HAPI wins. */
    @Override
    protected void composeInteger64Core(String name, Integer64Type value, boolean inArray)
        throws IOException {
      if (value != null && value.hasValue()) {
        propNum(name, value.getValueAsString());
      } else if (inArray) {
        writeNull(name);
      }
    }

    @Override
    protected void composeDecimalCore(String name, DecimalType value, boolean inArray)
        throws IOException {
      if (value != null && value.hasValue()) {
        propNum(name, value.getValueAsString());
      } else if (inArray) {
        writeNull(name);
      }
    }
  }

  /** A minimal JSON byte writer: compact, UTF-8, Jackson's default escaping. */
  private static final class Out implements JsonCreator {

    byte[] buf = new byte[8192];
    int len;

    /** Scratch for the characters of the string being written. */
    private char[] chars = new char[1024];

    /** Per nesting level: whether the next member / element is the first (no comma). */
    private boolean[] first = new boolean[32];

    private int depth;
    private boolean afterName;

    void reset() {
      len = 0;
      depth = 0;
      afterName = false;
      if (buf.length > KEEP_BUFFER) {
        buf = new byte[8192];
      }
      if (chars.length > KEEP_BUFFER) {
        chars = new char[1024];
      }
    }

    private void ensure(int n) {
      if (len + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    private void put(byte b) {
      if (len == buf.length) {
        ensure(1);
      }
      buf[len++] = b;
    }

    /** Comma before an array element or a value that is not the value of a name. */
    private void separate() {
      if (afterName) {
        afterName = false;
      } else if (depth > 0) {
        if (first[depth]) {
          first[depth] = false;
        } else {
          put((byte) ',');
        }
      }
    }

    private void open(byte b) {
      separate();
      put(b);
      if (++depth == first.length) {
        first = Arrays.copyOf(first, depth * 2);
      }
      first[depth] = true;
    }

    private void close(byte b) {
      depth--;
      put(b);
    }

    @Override
    public void beginObject() {
      open((byte) '{');
    }

    @Override
    public void endObject() {
      close((byte) '}');
    }

    @Override
    public void beginArray() {
      open((byte) '[');
    }

    @Override
    public void endArray() {
      close((byte) ']');
    }

    @Override
    public void name(String name) {
      separate();
      string(name);
      put((byte) ':');
      afterName = true;
    }

    @Override
    public void value(String value) {
      separate();
      if (value == null) {
        raw("null");
      } else {
        string(value);
      }
    }

    @Override
    public void value(Boolean value) {
      separate();
      raw(value == null ? "null" : value ? "true" : "false");
    }

    @Override
    public void value(BigDecimal value) {
      separate();
      raw(value == null ? "null" : value.toString());
    }

    @Override
    public void valueNum(String value) {
      separate();
      raw(value == null ? "null" : value);
    }

    @Override
    public void value(Integer value) {
      separate();
      raw(value == null ? "null" : value.toString());
    }

    @Override
    public void nullValue() {
      separate();
      raw("null");
    }

    private void raw(String ascii) {
      int n = ascii.length();
      ensure(n);
      for (int i = 0; i < n; i++) {
        buf[len++] = (byte) ascii.charAt(i);
      }
    }

    /**
     * A JSON string: {@code " \\} and control characters escaped as Jackson does, everything else
     * UTF-8.
     */
    private void string(String s) {
      int n = s.length();
      if (chars.length < n) {
        chars = new char[Math.max(n, chars.length * 2)];
      }
      char[] cs = chars;
      // one bulk copy, then plain array loops: charAt per character was the writer's largest cost
      s.getChars(0, n, cs, 0);
      ensure(n + 2);
      byte[] b = buf;
      int at = len;
      b[at++] = '"';
      int i = 0;
      while (i < n) {
        char c = cs[i];
        if (c >= 0x80 || c < 0x20 || c == '"' || c == '\\') {
          break;
        }
        b[at + i] = (byte) c;
        i++;
      }
      len = at + i;
      if (i < n) {
        rest(cs, i, n);
      }
      put((byte) '"');
    }

    /** {@link #string} from the first character that is not plain ASCII on. */
    private void rest(char[] cs, int from, int n) {
      for (int i = from; i < n; i++) {
        char c = cs[i];
        if (c < 0x80) {
          if (c >= 0x20 && c != '"' && c != '\\') {
            if (len == buf.length) {
              ensure(1);
            }
            buf[len++] = (byte) c;
          } else {
            escape(c);
          }
        } else if (c < 0x800) {
          ensure(2);
          buf[len++] = (byte) (0xC0 | (c >> 6));
          buf[len++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(cs[i + 1])) {
          int cp = Character.toCodePoint(c, cs[++i]);
          ensure(4);
          buf[len++] = (byte) (0xF0 | (cp >> 18));
          buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          buf[len++] = (byte) (0x80 | (cp & 0x3F));
        } else if (Character.isSurrogate(c)) {
          put(
              (byte)
                  '?'); // a lone surrogate is not encodable in UTF-8; String.getBytes(UTF_8) writes
          // '?' too
        } else {
          ensure(3);
          buf[len++] = (byte) (0xE0 | (c >> 12));
          buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          buf[len++] = (byte) (0x80 | (c & 0x3F));
        }
      }
    }

    private void escape(char c) {
      ensure(6);
      buf[len++] = '\\';
      switch (c) {
        case '"' -> buf[len++] = '"';
        case '\\' -> buf[len++] = '\\';
        case '\b' -> buf[len++] = 'b';
        case '\t' -> buf[len++] = 't';
        case '\n' -> buf[len++] = 'n';
        case '\f' -> buf[len++] = 'f';
        case '\r' -> buf[len++] = 'r';
        default -> {
          buf[len++] = 'u';
          buf[len++] = '0';
          buf[len++] = '0';
          buf[len++] = HEX[c >> 4];
          buf[len++] = HEX[c & 0xF];
        }
      }
    }

    @Override
    public void comment(String content) {}

    @Override
    public void finish() {}

    @Override
    public void link(String href) {}

    @Override
    public void anchor(String name) {}

    @Override
    public void externalLink(String string) {}

    @Override
    public void elide() {}

    @Override
    public boolean canElide() {
      return false;
    }

    @Override
    public boolean isCanonical() {
      return false;
    }
  }
}
