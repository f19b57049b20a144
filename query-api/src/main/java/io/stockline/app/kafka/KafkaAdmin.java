package io.stockline.app.kafka;

import io.stockline.app.Errors;
import io.stockline.app.UserError;
import io.stockline.topology.LedgerTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The few cluster operations Stockline needs, with failures turned into one-line {@link UserError}s
 * that name the cluster.
 */
public final class KafkaAdmin implements AutoCloseable {

    /** How long a cluster may take to answer before it counts as unreachable. */
    public static final int REACH_TIMEOUT_MS = 5_000;
    private static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, String> EVENT_TOPIC_CONFIG =
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);

    private final Admin admin;
    private final String bootstrapServers;

    private KafkaAdmin(final Admin admin, final String bootstrapServers) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
    }

    /** An admin client for the cluster, once the cluster has answered. */
    public static KafkaAdmin connect(final KafkaClientConfig config) {
        final Admin admin;
        try {
            admin = Admin.create(config.admin());
        } catch (final KafkaException e) {
            throw new UserError("cannot reach Kafka at " + config.bootstrapServers() + ": " + Errors.rootMessage(e), e);
        }
        final KafkaAdmin connected = new KafkaAdmin(admin, config.bootstrapServers());
        try {
            connected.clusterId();
            return connected;
        } catch (final RuntimeException e) {
            connected.close();
            throw e;
        }
    }

    public String clusterId() {
        final DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs(REACH_TIMEOUT_MS);
        return await(admin.describeCluster(options).clusterId(), "cannot reach Kafka at " + bootstrapServers);
    }

    /** Every non-internal topic with its partition count, by name. */
    public SortedMap<String, Integer> topics() {
        final Set<String> names = await(admin.listTopics().names(), "cannot list topics on " + bootstrapServers);
        final Map<String, TopicDescription> descriptions = await(
                admin.describeTopics(names).allTopicNames(), "cannot describe topics on " + bootstrapServers);
        final SortedMap<String, Integer> topics = new TreeMap<>();
        descriptions.forEach((name, description) -> topics.put(name, description.partitions().size()));
        return topics;
    }

    /**
     * The partition count the topics the ledger's one sub-topology reads ({@link LedgerTopics#coPartitioned()})
     * share, or a one-line refusal naming each count when they differ: with unequal counts a key's events
     * and its state would meet in different tasks.
     */
    public int coPartitionedCount() {
        final Set<String> existing = await(admin.listTopics().names(), "cannot list topics on " + bootstrapServers);
        final List<String> missing = new ArrayList<>(LedgerTopics.coPartitioned());
        missing.removeAll(existing);
        if (!missing.isEmpty()) {
            throw new UserError("topics " + missing + " do not exist on " + bootstrapServers
                    + " (create the ledger's topics with 'stockline topics --create')");
        }
        // Only these are described: a cluster may hold many more topics than the ledger's.
        final SortedMap<String, Integer> counts = new TreeMap<>();
        await(admin.describeTopics(LedgerTopics.coPartitioned()).allTopicNames(),
                "cannot describe topics on " + bootstrapServers)
                .forEach((name, description) -> counts.put(name, description.partitions().size()));
        final Set<Integer> distinct = new TreeSet<>(counts.values());
        if (distinct.size() != 1) {
            final StringBuilder each = new StringBuilder();
            counts.forEach((topic, count) -> each.append(each.isEmpty() ? "" : ", ").append(topic).append(' ')
                    .append(count));
            throw new UserError("the ledger's topics must have one partition count, but on " + bootstrapServers
                    + " they have " + each + " partitions: give them the same count (a topic's partitions can"
                    + " only grow, with kafka-topics.sh --alter --partitions N) before starting the ledger");
        }
        return distinct.iterator().next();
    }

    /**
     * Refuses to go on, in one line naming each topic, its policy and the command that fixes it, when an existing
     * topic of {@code rules} has a {@code cleanup.policy} its rule does not accept; topics that do not exist yet
     * are not checked.
     */
    public void requireCleanupPolicies(final SortedMap<String, CleanupRule> rules) {
        final List<String> refusals = new ArrayList<>();
        cleanupPolicies(rules.keySet()).forEach((topic, found) -> {
            final CleanupRule rule = rules.get(topic);
            if (!rule.accepts(found)) {
                refusals.add(rule.refusal(topic, found, bootstrapServers));
            }
        });
        if (!refusals.isEmpty()) {
            throw new UserError(String.join("; ", refusals));
        }
    }

    /** The {@code cleanup.policy} of each of {@code names} that exists, by name. */
    private SortedMap<String, String> cleanupPolicies(final Collection<String> names) {
        final Set<String> existing = await(admin.listTopics().names(), "cannot list topics on " + bootstrapServers);
        final List<ConfigResource> topics = names.stream().filter(existing::contains)
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        final SortedMap<String, String> policies = new TreeMap<>();
        await(admin.describeConfigs(topics).all(), "cannot describe topic configs on " + bootstrapServers)
                .forEach((topic, config) ->
                        policies.put(topic.name(), config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()));
        return policies;
    }

    /** Fails with a hint when {@code topic} does not exist, rather than letting a client wait for it. */
    public void requireTopic(final String topic) {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new UserError("topic " + topic + " does not exist on " + bootstrapServers
                        + " (create the ledger's topics with 'stockline topics --create')");
            }
            throw failure("cannot describe topic " + topic + " on " + bootstrapServers, e.getCause());
        } catch (final java.util.concurrent.TimeoutException e) {
            throw new UserError("cannot reach Kafka at " + bootstrapServers + ": no answer within "
                    + REACH_TIMEOUT_MS / 1000 + " s");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    /**
     * Creates those of {@code names} that do not exist yet, with the cluster's default settings but for
     * {@code cleanup.policy=delete} (they are event topics: see {@link CleanupRule#EVENTS}, a cluster whose default
     * is compact would otherwise get topics the ledger then refuses), and leaves the others as they are.
     *
     * @param replicationFactor -1 for the broker's {@code default.replication.factor}
     * @return the topics this call created
     */
    public List<String> ensureTopics(final Collection<String> names, final int partitions,
                                     final int replicationFactor) {
        final Set<String> existing = await(admin.listTopics().names(), "cannot list topics on " + bootstrapServers);
        final Optional<Short> replication = replicationFactor < 0
                ? Optional.empty() : Optional.of((short) replicationFactor);
        final List<NewTopic> missing = names.stream()
                .filter(name -> !existing.contains(name))
                .map(name -> new NewTopic(name, Optional.of(partitions), replication).configs(EVENT_TOPIC_CONFIG))
                .toList();
        final Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
        final List<String> created = new ArrayList<>();
        for (final Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            if (createdNow(result.getKey(), result.getValue())) {
                created.add(result.getKey());
            }
        }
        awaitVisible(names);
        return created;
    }

    /**
     * Creation completes once the controller has committed it; the brokers learn of it a moment later,
     * and a client that asks in between (Kafka Streams assigning tasks, say) finds no such topic.
     */
    private void awaitVisible(final Collection<String> names) {
        final long deadline = System.nanoTime() + VISIBLE_TIMEOUT.toNanos();
        Set<String> visible = await(admin.listTopics().names(), "cannot list topics on " + bootstrapServers);
        while (!visible.containsAll(names)) {
            if (System.nanoTime() > deadline) {
                throw new UserError("topics created on " + bootstrapServers + " are still not visible after "
                        + VISIBLE_TIMEOUT.toSeconds() + " s");
            }
            visible = await(admin.listTopics().names(), "cannot list topics on " + bootstrapServers);
        }
    }

    private boolean createdNow(final String topic, final KafkaFuture<Void> result) {
        try {
            result.get();
            return true;
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                // Another instance created it between our listing and our request: fine.
                return false;
            }
            throw failure("cannot create topic " + topic + " on " + bootstrapServers, e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    private <T> T await(final KafkaFuture<T> future, final String what) {
        try {
            return future.get();
        } catch (final ExecutionException e) {
            throw failure(what, e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    private UserError failure(final String what, final Throwable cause) {
        if (cause instanceof AuthenticationException) {
            // The cluster did answer: "cannot reach" would send the reader to the network, not to the credentials.
            return new UserError("cannot log in to Kafka at " + bootstrapServers + ": " + Errors.rootMessage(cause)
                    + " (check the TLS and SASL settings given with --kafka-config)", cause);
        }
        if (cause instanceof TimeoutException) {
            return new UserError(what + ": no answer within " + REACH_TIMEOUT_MS / 1000 + " s", cause);
        }
        return new UserError(what + ": " + Errors.rootMessage(cause), cause);
    }

    /**
     * How many records a consumer group has yet to read: for each partition it has committed an offset on,
     * the last stable offset (what a {@code read_committed} reader can reach) less that offset.
     */
    public long groupLag(final String groupId) {
        final Map<TopicPartition, OffsetAndMetadata> committed = await(admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata(), "cannot read the offsets of consumer group " + groupId);
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.forEach((tp, offset) -> {
            if (offset != null) {
                latest.put(tp, OffsetSpec.latest());
            }
        });
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = await(admin.listOffsets(latest,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(), "cannot read the ends of the topics");
        long lag = 0;
        for (final Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
            lag += Math.max(0, end.getValue().offset() - committed.get(end.getKey()).offset());
        }
        return lag;
    }

    @Override
    public void close() {
        admin.close();
    }
}
