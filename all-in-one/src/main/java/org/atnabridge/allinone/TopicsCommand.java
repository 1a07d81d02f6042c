package org.atnabridge.allinone;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atna-bridge topics create}: creates every product topic explicitly ({@link TopicPlan}), so
 * that no topic is ever made by a broker's auto-creation with its defaults. Idempotent: a topic
 * that exists as planned is reported {@code exists}; one that exists otherwise (partitions,
 * replication factor or a planned config value) is reported {@code DIFFERS} and left alone, except
 * that {@code --fix-config} sets the planned config values. Partitions are never added: that would
 * move keys to other partitions, and the chains are per partition.
 *
 * <p>Exit codes: 0 every topic created or exists as planned, 1 Kafka failed, 2 usage error, 3 a
 * topic differs.
 */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "The product's Kafka topics.",
    subcommands = {TopicsCommand.Create.class})
final class TopicsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (create)");
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create every topic of the product with its partitions and configuration; existing topics are kept.",
        "Prints one line per topic: created, exists, or DIFFERS with what differs.",
        "Exit 0 all created or as planned, 1 Kafka failed, 2 usage error, 3 a topic differs."
      })
  static final class Create implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin ToolKafkaOptions kafka;

    @Option(
        names = "--replication-factor",
        defaultValue = "1",
        description =
            "Replicas of every topic (default ${DEFAULT-VALUE}; a cluster of 3 brokers: 3).")
    int replicationFactor;

    @Option(
        names = "--partitions",
        description =
            "Partitions of the partitioned topics (atna.raw, accesslog.raw, audit.events, audit.posted, "
                + "audit.enriched, audit.alerts, audit.notifications; default 3); the others keep 1.")
    @Nullable Integer partitions;

    @Option(
        names = "--min-insync-replicas",
        description =
            "Topic config min.insync.replicas of every topic (default: not set, the broker's applies; "
                + "a cluster with replication factor 3: 2).")
    @Nullable Integer minInsyncReplicas;

    @Option(
        names = "--fix-config",
        description =
            "Set the planned config values on existing topics that differ (never their partitions).")
    boolean fixConfig;

    @Override
    public Integer call() throws Exception {
      if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
        throw new IllegalArgumentException(
            "--replication-factor must be 1 or more, got: " + replicationFactor);
      }
      if (partitions != null && partitions < 1) {
        throw new IllegalArgumentException("--partitions must be 1 or more, got: " + partitions);
      }
      if (minInsyncReplicas != null
          && (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor)) {
        throw new IllegalArgumentException(
            "--min-insync-replicas must be 1.."
                + replicationFactor
                + " (the replication factor), got: "
                + minInsyncReplicas);
      }
      List<TopicPlan> plans =
          TopicPlan.of((short) replicationFactor, partitions, minInsyncReplicas);
      PrintWriter out = spec.commandLine().getOut();
      boolean differs = false;
      try (ToolKafkaOptions.ToolKafka k = kafka.open();
          Admin admin = VerifyKafka.admin(k.bootstrap(), kafka.timeout)) {
        Set<String> existing = get(admin.listTopics().names());
        for (TopicPlan plan : plans) {
          // a topic made since the listing (another run) is checked as an existing one
          if (!existing.contains(plan.name()) && create(admin, plan)) {
            out.println("created " + describe(plan));
            continue;
          }
          List<String> problems = differences(admin, plan);
          if (problems.isEmpty()) {
            out.println("exists  " + describe(plan));
          } else if (fixConfig && problems.stream().allMatch(p -> p.startsWith("config "))) {
            fix(admin, plan);
            out.println("fixed   " + describe(plan) + ": " + String.join("; ", problems));
          } else {
            differs = true;
            out.println("DIFFERS " + plan.name() + ": " + String.join("; ", problems));
          }
        }
        out.flush();
      }
      return differs ? 3 : 0;
    }

    private static String describe(TopicPlan plan) {
      return plan.name()
          + " partitions="
          + plan.partitions()
          + " replication="
          + plan.replication()
          + (plan.config().isEmpty() ? "" : " " + plan.config());
    }

    /** Whether the topic was created (false: it exists, made since the listing). */
    private boolean create(Admin admin, TopicPlan plan) throws Exception {
      try {
        get(admin.createTopics(List.of(plan.newTopic())).all());
        return true;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicExistsException) {
          return false;
        }
        throw new IllegalStateException(
            "cannot create topic "
                + plan.name()
                + ": "
                + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()),
            e);
      }
    }

    /** What differs between the existing topic and the plan, one phrase each. */
    private List<String> differences(Admin admin, TopicPlan plan) throws Exception {
      List<String> problems = new ArrayList<>();
      TopicDescription d =
          java.util.Objects.requireNonNull(
              get(admin.describeTopics(List.of(plan.name())).allTopicNames()).get(plan.name()));
      if (d.partitions().size() != plan.partitions()) {
        problems.add("has " + d.partitions().size() + " partitions, planned " + plan.partitions());
      }
      int replicas = d.partitions().get(0).replicas().size();
      if (replicas != plan.replication()) {
        problems.add("replication factor " + replicas + ", planned " + plan.replication());
      }
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, plan.name());
      Config config =
          java.util.Objects.requireNonNull(
              get(admin.describeConfigs(List.of(resource)).all()).get(resource));
      for (Map.Entry<String, String> want : plan.config().entrySet()) {
        ConfigEntry have = config.get(want.getKey());
        String value = have == null ? null : have.value();
        if (!want.getValue().equals(value)) {
          problems.add("config " + want.getKey() + "=" + value + ", planned " + want.getValue());
        }
      }
      return problems;
    }

    private void fix(Admin admin, TopicPlan plan) throws Exception {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, plan.name());
      Collection<AlterConfigOp> ops =
          plan.config().entrySet().stream()
              .map(
                  e ->
                      new AlterConfigOp(
                          new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
              .toList();
      Map<ConfigResource, Collection<AlterConfigOp>> request = new HashMap<>();
      request.put(resource, ops);
      get(admin.incrementalAlterConfigs(request).all());
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws Exception {
      try {
        return future.get(kafka.timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "Kafka did not answer within " + kafka.timeout.toSeconds() + " s", e);
      }
    }
  }
}
