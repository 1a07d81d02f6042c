package org.atnabridge.store.relabel;

import static org.atnabridge.schemas.vocab.CodeSystems.V3_ACT_CODE;
import static org.atnabridge.schemas.vocab.CodeSystems.V3_CONFIDENTIALITY;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.atnabridge.store.RaisedLabels;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Patient;

/**
 * The labels of every reference patient, by the keys events name patients with: each identifier
 * {@code system|value} (identifiers without a system are left out: a value alone may be another
 * system's patient) and the literal reference {@code Patient/id} that enrichment fills in.
 *
 * <p>Ordering with the indexer: the indexer looks labels up and writes its batch inside {@link
 * #whileIndexing}; {@link #put} and {@link #remove} wait for a batch in progress. So once a change
 * is in the table, every event indexed from then on gets the new labels, and every event indexed
 * before is already in the store, where the relabel sweep that follows finds it.
 */
public final class PatientLabelTable implements RaisedLabels {

  /** What one reference record said. */
  public record Entry(Set<String> keys, Set<String> labels) {
    public Entry {
      keys = Set.copyOf(keys);
      labels = Set.copyOf(labels);
    }
  }

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, Entry> byRecord = new HashMap<>();
  private final Map<String, Map<String, Set<String>>> byKey = new HashMap<>();

  /** The keys and labels of a reference Patient (same labels as enrichment takes from it). */
  public static Entry entryOf(Patient p) {
    Set<String> keys = new LinkedHashSet<>();
    for (Identifier id : p.getIdentifier()) {
      if (id.hasSystem() && id.hasValue()) {
        keys.add(id.getSystem() + "|" + id.getValue());
      }
    }
    if (p.getIdElement().hasIdPart()) {
      keys.add("Patient/" + p.getIdElement().getIdPart());
    }
    Set<String> labels = new TreeSet<>();
    for (Coding c : p.getMeta().getSecurity()) {
      if ((V3_CONFIDENTIALITY.equals(c.getSystem()) || V3_ACT_CODE.equals(c.getSystem()))
          && c.hasCode()) {
        labels.add(c.getSystem() + "|" + c.getCode());
      }
    }
    return new Entry(keys, labels);
  }

  @Override
  public Set<String> labelsFor(Collection<String> patientKeys) {
    lock.readLock().lock();
    try {
      Set<String> out = new TreeSet<>();
      for (String k : patientKeys) {
        Map<String, Set<String>> perRecord = byKey.get(k);
        if (perRecord != null) {
          perRecord.values().forEach(out::addAll);
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs an indexer batch so that no table change happens during it. */
  public <T> T whileIndexing(Supplier<T> batch) {
    lock.readLock().lock();
    try {
      return batch.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Records what the reference record {@code recordKey} now says, replacing what it said before.
   */
  public void put(String recordKey, Entry entry) {
    lock.writeLock().lock();
    try {
      removeLocked(recordKey);
      byRecord.put(recordKey, entry);
      for (String k : entry.keys()) {
        byKey.computeIfAbsent(k, x -> new HashMap<>()).put(recordKey, entry.labels());
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** A tombstone: the record says nothing any more. */
  public void remove(String recordKey) {
    lock.writeLock().lock();
    try {
      removeLocked(recordKey);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Reference records known; for the gauge. */
  public int size() {
    lock.readLock().lock();
    try {
      return byRecord.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  private void removeLocked(String recordKey) {
    Entry old = byRecord.remove(recordKey);
    if (old == null) {
      return;
    }
    for (String k : old.keys()) {
      Map<String, Set<String>> perRecord = byKey.get(k);
      if (perRecord != null) {
        perRecord.remove(recordKey);
        if (perRecord.isEmpty()) {
          byKey.remove(k);
        }
      }
    }
  }
}
