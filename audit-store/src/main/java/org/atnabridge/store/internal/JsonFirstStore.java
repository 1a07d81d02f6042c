package org.atnabridge.store.internal;

import java.util.List;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditEventWriter;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.RaisedLabels;
import org.atnabridge.store.WriteResult;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * What both engines share as a store: each is its own writer and search, and each takes FHIR JSON
 * as its native input (the indexer hands over the record values as they are), so events given as
 * resources are encoded once and take the JSON path.
 */
public abstract class JsonFirstStore implements AuditStore, AuditEventWriter, AuditEventSearch {

  @Override
  public final AuditEventWriter writer() {
    return this;
  }

  @Override
  public final AuditEventSearch search() {
    return this;
  }

  /** Encodes each event once and takes the JSON path ({@link AuditEventWriter#indexAsJson}). */
  @Override
  public final WriteResult index(List<AuditEvent> events) {
    return AuditEventWriter.indexAsJson(this, events);
  }

  @Override
  public final WriteResult indexJson(List<byte[]> events) {
    return indexJson(events, RaisedLabels.NONE);
  }

  @Override
  public abstract WriteResult indexJson(List<byte[]> events, RaisedLabels raised);
}
