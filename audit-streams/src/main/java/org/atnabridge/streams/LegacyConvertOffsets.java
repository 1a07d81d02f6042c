package org.atnabridge.streams;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.atnabridge.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversion used to be its own application, {@value #LEGACY_APPLICATION_ID}; it is now part of
 * {@value AuditTopology#APPLICATION_ID}. Before that application first reads {@code atna.raw}, this
 * gives it the legacy group's committed {@code atna.raw} offsets, so a data dir from before does
 * not convert its whole {@code atna.raw} a second time (which would chain every event again). Acts
 * only when the legacy group has offsets there and the application has none, then deletes the
 * legacy group, so it happens once.
 *
 * <p>Why it stays: without it, a data dir last run before conversion joined this application would
 * convert up to 30 days of {@code atna.raw} again, and since event ids come from the audit message
 * and its sender ({@code EventIds}) those re-converted events would not all be recognised as later
 * receipts (older than the id retention, or with the former ids): they would be stored and chained
 * a second time. It costs one offsets query per start.
 */
final class LegacyConvertOffsets {

  static final String LEGACY_APPLICATION_ID = "audit-convert";
  private static final Logger LOG = LoggerFactory.getLogger(LegacyConvertOffsets.class);
  private static final long TIMEOUT_S = 30;

  private LegacyConvertOffsets() {}

  static void carryOver(StreamsSettings settings) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> legacy = rawOffsets(admin, LEGACY_APPLICATION_ID);
      if (legacy.isEmpty()) {
        return;
      }
      if (rawOffsets(admin, AuditTopology.APPLICATION_ID).isEmpty()) {
        admin
            .alterConsumerGroupOffsets(AuditTopology.APPLICATION_ID, legacy)
            .all()
            .get(TIMEOUT_S, TimeUnit.SECONDS);
        LOG.info(
            "{} continues conversion where {} stopped: {}",
            AuditTopology.APPLICATION_ID,
            LEGACY_APPLICATION_ID,
            legacy);
      }
      admin
          .deleteConsumerGroups(List.of(LEGACY_APPLICATION_ID))
          .all()
          .get(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while reading the offsets of " + LEGACY_APPLICATION_ID, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at "
              + settings.bootstrapServers()
              + " did not answer within "
              + TIMEOUT_S
              + " s (reading the offsets of "
              + LEGACY_APPLICATION_ID
              + ")",
          e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupNotEmptyException) {
        throw new IllegalStateException(
            "an instance of the former conversion application "
                + LEGACY_APPLICATION_ID
                + " is still running: stop it first (this application converts atna.raw itself now)",
            e);
      }
      throw new IllegalStateException(
          "could not carry over the atna.raw offsets of "
              + LEGACY_APPLICATION_ID
              + ": "
              + e.getCause(),
          e);
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> rawOffsets(Admin admin, String group)
      throws InterruptedException, ExecutionException, TimeoutException {
    return admin
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .get(TIMEOUT_S, TimeUnit.SECONDS)
        .entrySet()
        .stream()
        .filter(e -> e.getValue() != null && e.getKey().topic().equals(Topics.ATNA_RAW.name()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
