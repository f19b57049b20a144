package io.stockline.app.kafka;

import io.stockline.topology.LedgerTopics;
import java.util.Arrays;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The {@code cleanup.policy} a topic must have for the ledger to run on it, and why.
 */
public enum CleanupRule {

    /**
     * Event and command topics. Compaction keeps only the last record of each key, and the ledger keys many
     * records by one order id or SKU (an order's payment after its placement, each of a SKU's movements): a
     * compacted topic would lose events the ledger or its readers must see. Anything without compaction will do.
     */
    EVENTS(TopicConfig.CLEANUP_POLICY_DELETE,
            "compaction keeps only the last record of each key, so events of one order or SKU would be lost") {
        @Override
        boolean accepts(final Set<String> policy) {
            return !policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    },

    /**
     * A store's changelog, which a restore reads from its beginning: it must keep the last record of every key,
     * for as long as the key lives, which is what compaction alone does.
     */
    CHANGELOG(TopicConfig.CLEANUP_POLICY_COMPACT,
            "the store is restored from it, and deleting by age would lose every key not written within"
                    + " retention.ms") {
        @Override
        boolean accepts(final Set<String> policy) {
            return policy.equals(Set.of(TopicConfig.CLEANUP_POLICY_COMPACT));
        }
    };

    /** Kafka Streams names a store's changelog {@code <application.id>-<store>-changelog}. */
    private static final String CHANGELOG_SUFFIX = "-changelog";

    private final String expected;
    private final String why;

    CleanupRule(final String expected, final String why) {
        this.expected = expected;
        this.why = why;
    }

    abstract boolean accepts(Set<String> policy);

    /** The rule for each of the ledger's event and command topics ({@link LedgerTopics#all()}). */
    public static SortedMap<String, CleanupRule> forEventTopics() {
        final SortedMap<String, CleanupRule> rules = new TreeMap<>();
        LedgerTopics.all().forEach(topic -> rules.put(topic, EVENTS));
        return rules;
    }

    /**
     * The rule for each topic the ledger runs on: its event and command topics ({@link LedgerTopics#all()}) and
     * the changelog of every store of {@code topology}, which exist once the ledger has run.
     */
    public static SortedMap<String, CleanupRule> forLedger(final String applicationId, final Topology topology) {
        final SortedMap<String, CleanupRule> rules = forEventTopics();
        for (final TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
            for (final TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    processor.stores().forEach(store ->
                            rules.put(applicationId + "-" + store + CHANGELOG_SUFFIX, CHANGELOG));
                }
            }
        }
        return rules;
    }

    /** Whether a topic whose {@code cleanup.policy} is {@code found} ({@code delete}, {@code compact,delete}) fits. */
    public boolean accepts(final String found) {
        return accepts(Arrays.stream(found.split(",")).map(String::trim).filter(p -> !p.isEmpty())
                .collect(Collectors.toSet()));
    }

    /** What is wrong with {@code topic} and the command that puts it right, in one sentence. */
    public String refusal(final String topic, final String found, final String bootstrapServers) {
        return "topic " + topic + " has " + TopicConfig.CLEANUP_POLICY_CONFIG + "=" + found + ", but the ledger needs "
                + expected + " (" + why + "): fix it with kafka-configs.sh --bootstrap-server " + bootstrapServers
                + " --alter --entity-type topics --entity-name " + topic + " --add-config "
                + TopicConfig.CLEANUP_POLICY_CONFIG + "=" + expected;
    }
}
