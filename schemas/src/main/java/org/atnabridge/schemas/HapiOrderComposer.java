package org.atnabridge.schemas;

import java.io.IOException;
import org.hl7.fhir.r5.formats.JsonParser;
import org.hl7.fhir.r5.model.Base64BinaryType;
import org.hl7.fhir.r5.model.DecimalType;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.IdType;
import org.hl7.fhir.r5.model.Integer64Type;

/** The generated composer with HAPI's choices where they differ. */
final class HapiOrderComposer extends JsonParser {

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
