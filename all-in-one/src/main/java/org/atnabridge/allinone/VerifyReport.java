package org.atnabridge.allinone;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import org.atnabridge.schemas.chain.ChainFinding;
import org.atnabridge.schemas.chain.ChainReport;
import org.atnabridge.schemas.chain.PendingTail;

/**
 * What {@code verify} prints: one line per finding, one per chain with pending events, then the
 * summary.
 */
final class VerifyReport {

  private VerifyReport() {}

  static void print(PrintWriter out, ChainReport report, boolean noCheckpoints) {
    for (ChainFinding f : report.findings()) {
      out.println(f);
    }
    for (PendingTail t : report.pending()) {
      if (t.count() > 0) {
        out.println(pendingLine(t, Instant.now()));
      }
    }
    out.println(
        (report.intact() ? "INTACT: " : "NOT INTACT: " + report.findings().size() + " finding(s); ")
            + report.eventsChecked()
            + " events, "
            + report.checkpointsChecked()
            + " checkpoints checked"
            + (report.signaturesChecked() ? "" : " (signatures not checked)")
            + (noCheckpoints
                ? ""
                : "; " + report.pendingCount() + " pending (chained, not yet indexed)"));
    out.flush();
  }

  /**
   * {@code PENDING partition 1 seq 41..43: 3 event(s) chained, not yet indexed, the oldest received
   * T (4 s ago)}.
   */
  static String pendingLine(PendingTail t, Instant now) {
    long first = t.indexedThrough() + 1;
    Instant oldest = t.oldestReceipt();
    return "PENDING partition "
        + t.partition()
        + " seq "
        + (first == t.lastSeq() ? Long.toString(first) : first + ".." + t.lastSeq())
        + ": "
        + t.count()
        + " event(s) chained, not yet indexed"
        + (oldest == null
            ? ""
            : ", the oldest received "
                + oldest
                + " ("
                + Duration.between(oldest, now).toSeconds()
                + " s ago)");
  }
}
