package org.atnabridge.search.subscription;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import org.hl7.fhir.r5.model.IdType;
import org.hl7.fhir.r5.model.SubscriptionTopic;
import org.jspecify.annotations.Nullable;

/** Read and search of the built-in SubscriptionTopics ({@link SubscriptionTopics}). */
public final class SubscriptionTopicProvider implements IResourceProvider {

  @Override
  public Class<SubscriptionTopic> getResourceType() {
    return SubscriptionTopic.class;
  }

  @Read
  public SubscriptionTopic read(@IdParam IdType id) {
    return SubscriptionTopics.byId(id.getIdPart())
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  /** All built-in topics, or those of the given canonical {@code url} / {@code status}. */
  @Search
  public List<SubscriptionTopic> search(
      @OptionalParam(name = SubscriptionTopic.SP_URL) @Nullable UriParam url,
      @OptionalParam(name = SubscriptionTopic.SP_STATUS) @Nullable TokenParam status) {
    return SubscriptionTopics.all().stream()
        .filter(t -> url == null || t.getUrl().equals(url.getValue()))
        .filter(t -> status == null || t.getStatus().toCode().equals(status.getValue()))
        .toList();
  }
}
