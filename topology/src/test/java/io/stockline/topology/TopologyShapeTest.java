package io.stockline.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

class TopologyShapeTest {

    private final TopologyDescription description =
            LedgerTopology.build(LedgerConfig.defaults(), LedgerSerdes.create(new SingleObjectSerdeFactory()))
                    .describe();

    @Test
    void decodersOrderSideAndStockSideAreSeparateSubTopologiesJoinedOnlyByTopics() {
        // Four decoders, the order side and the stock side: a shared node would have fused some of them,
        // and then one task would own unrelated partitions of unrelated topics.
        assertEquals(6, description.subtopologies().size(), description.toString());
    }

    @Test
    void everyStoreIsNamedByItsConstant() {
        final Set<String> stores = new TreeSet<>();
        description.subtopologies().forEach(s -> s.nodes().forEach(n -> {
            if (n instanceof TopologyDescription.Processor processor) {
                stores.addAll(processor.stores());
            }
        }));
        assertEquals(new TreeSet<>(Set.of(LedgerStores.STOCK_LEVELS, LedgerStores.APPLIED_ADJUSTMENTS,
                LedgerStores.ORDERS, LedgerStores.ORDER_TIMERS)), stores);
    }

    @Test
    void readsEveryInputTopicAndBothCommandTopics() {
        final Set<String> sources = new TreeSet<>();
        description.subtopologies().forEach(s -> s.nodes().forEach(n -> {
            if (n instanceof TopologyDescription.Source source) {
                sources.addAll(source.topicSet());
            }
        }));
        assertEquals(new TreeSet<>(Set.of("orders", "payments", "cancellations", "stock-adjustments",
                LedgerTopics.ORDER_COMMANDS, LedgerTopics.SKU_COMMANDS)), sources);
        assertTrue(LedgerTopics.all().containsAll(sources));
    }

    @Test
    void eachSideWritesItsProjectionsFromItsOwnSubTopologySoTheyCommitWithTheChange() {
        assertEquals(Set.of(LedgerTopics.STOCK_LEVELS, LedgerTopics.STOCK_MOVEMENTS),
                projectionSinksBeside(LedgerTopology.STOCK_PROCESSOR));
        assertEquals(Set.of(LedgerTopics.ORDER_STATUS), projectionSinksBeside(LedgerTopology.ORDER_PROCESSOR));
    }

    @Test
    void writesOnlyTopicsItCreatesAndCompactsTheLatestStateProjections() {
        final Set<String> sinks = new TreeSet<>();
        description.subtopologies().forEach(s -> s.nodes().forEach(n -> {
            if (n instanceof TopologyDescription.Sink sink) {
                sinks.add(sink.topic());
            }
        }));
        assertTrue(LedgerTopics.all().containsAll(sinks), sinks.toString());
        assertTrue(sinks.containsAll(LedgerTopics.projections()), sinks.toString());
        final Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT);
        assertEquals(Map.of(LedgerTopics.STOCK_LEVELS, compacted, LedgerTopics.ORDER_STATUS, compacted),
                LedgerTopics.configs());
    }

    private Set<String> projectionSinksBeside(final String processorName) {
        final TopologyDescription.Subtopology subtopology = description.subtopologies().stream()
                .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals(processorName)))
                .findFirst().orElseThrow();
        final Set<String> topics = new TreeSet<>();
        subtopology.nodes().forEach(n -> {
            if (n instanceof TopologyDescription.Sink sink && LedgerTopics.projections().contains(sink.topic())) {
                topics.add(sink.topic());
            }
        });
        return topics;
    }
}
