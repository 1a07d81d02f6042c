package org.atnabridge.search.subscription;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Subscription;
import org.junit.jupiter.api.Test;

class SubscriptionValidatorTest {

  private final SubscriptionValidator validator =
      new SubscriptionValidator(new EndpointPolicy(SubscriptionSettings.DEFAULTS));

  private static Subscription hook(String endpoint) {
    Subscription s = new Subscription();
    s.setTopic(BuiltInTopics.SECURITY_ALERT);
    s.setChannelType(new Coding(SubscriptionValidator.CHANNEL_TYPE_SYSTEM, "rest-hook", null));
    s.setEndpoint(endpoint);
    return s;
  }

  @Test
  void withoutListedEndpointsLoopbackAndMetadataAddressesAreRefusedAtCreation() {
    for (String endpoint :
        new String[] {
          "https://127.0.0.1/h",
          "https://[::1]/h",
          "https://169.254.169.254/",
          "https://localhost/h",
          "http://93.184.215.14/h",
          "file:///etc/passwd",
          "gopher://93.184.215.14/"
        }) {
      assertThatThrownBy(() -> validator.check(hook(endpoint)))
          .as(endpoint)
          .isInstanceOf(UnprocessableEntityException.class)
          .hasMessageContaining("Subscription.endpoint");
    }
    assertThatCode(() -> validator.check(hook("https://93.184.215.14/h")))
        .doesNotThrowAnyException();
  }

  @Test
  void eachCanFilterByParameterIsAcceptedWithItsModifiers() {
    String[][] filters = {
      {"patient", "Patient/p1"},
      {"agent", "Practitioner/x"},
      {"category", "http://dicom.nema.org/resources/ontology/DCM|110110"},
      {"code", "110110"},
      {"subtype", "read"},
      {"action", "R"},
      {"outcome", "0"},
      {"source", "Device/d"},
      {"entity", "Patient/p1"},
      {"purpose", "TREAT"},
      {"type", "110110"}
    };
    for (String[] f : filters) {
      Subscription s = hook("https://93.184.215.14/h");
      s.addFilterBy().setFilterParameter(f[0]).setValue(f[1]);
      assertThatCode(() -> validator.check(s)).as(f[0]).doesNotThrowAnyException();
    }
    Subscription s = hook("https://93.184.215.14/h");
    s.addFilterBy()
        .setFilterParameter("patient")
        .setModifier(org.hl7.fhir.r5.model.Enumerations.SearchModifierCode.IDENTIFIER)
        .setValue("urn:oid:1.2.3|42");
    s.addFilterBy()
        .setFilterParameter("action")
        .setModifier(org.hl7.fhir.r5.model.Enumerations.SearchModifierCode.NOT)
        .setValue("E");
    assertThatCode(() -> validator.check(s)).doesNotThrowAnyException();
  }

  @Test
  void aWebsocketSubscriptionNeedsNoEndpoint() {
    Subscription s = new Subscription();
    s.setTopic(BuiltInTopics.AUDIT_EVENT);
    s.setChannelType(new Coding(SubscriptionValidator.CHANNEL_TYPE_SYSTEM, "websocket", null));
    s.getContentElement().setValueAsString("full-resource");
    assertThatCode(() -> validator.check(s)).doesNotThrowAnyException();
    s.getChannelType().setCode("email");
    assertThatThrownBy(() -> validator.check(s))
        .isInstanceOf(UnprocessableEntityException.class)
        .hasMessageContaining("Subscription.channelType");
  }
}
