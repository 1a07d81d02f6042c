package org.atnabridge.search.console;

import java.util.Optional;
import org.atnabridge.schemas.RawRecordReference;

/** Where the original records are kept: the raw topics, read at the position an event names. */
public interface RawRecords {

  /** The record's value as received, or empty when it is no longer kept (retention). */
  Optional<byte[]> read(RawRecordReference where);
}
