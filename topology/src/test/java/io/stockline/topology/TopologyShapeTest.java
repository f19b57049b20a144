package io.stockline.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.schemas.EventTopic;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

class TopologyShapeTest {

    private final TopologyDescription description =
            LedgerTopology.build(LedgerConfig.defaults(), LedgerSerdes.create(new SingleObjectSerdeFactory()))
                    .describe();

    @Test
    void decodersBothSidesAndProjectionsAreOneSubTopologySoATaskOwnsOrdersAndSkusOfItsPartition() {
        // One sub-topology: task p reads partition p of every topic it reads, and a command for a key it owns
        // is applied there without a topic in between. Two would put the order and the stock stores of one
        // partition in different tasks, and every line of every order would cross a topic again.
        assertEquals(1, description.subtopologies().size(), description.toString());
        assertEquals(new TreeSet<>(LedgerTopics.coPartitioned()), sources());
    }

    @Test
    void everyNodeIsNamedByItsConstant() {
        final Set<String> nodes = new TreeSet<>();
        description.subtopologies().forEach(s -> s.nodes().forEach(n -> nodes.add(n.name())));
        assertEquals(new TreeSet<>(Set.of(LedgerTopology.ORDERS_SOURCE, LedgerTopology.PAYMENTS_SOURCE,
                LedgerTopology.CANCELLATIONS_SOURCE, LedgerTopology.SHIPMENTS_SOURCE, LedgerTopology.ADJUSTMENTS_SOURCE,
                LedgerTopology.ORDER_COMMANDS_SOURCE, LedgerTopology.SKU_COMMANDS_SOURCE,
                LedgerTopology.ORDERS_DECODER, LedgerTopology.PAYMENTS_DECODER, LedgerTopology.CANCELLATIONS_DECODER,
                LedgerTopology.SHIPMENTS_DECODER, LedgerTopology.ADJUSTMENTS_DECODER, LedgerTopology.LEDGER_PROCESSOR, LedgerTopology.MOVEMENT_MAPPER,
                LedgerTopology.ORDER_COMMANDS_SINK,
                LedgerTopology.SKU_COMMANDS_SINK, LedgerTopology.OUTCOMES_SINK, LedgerTopology.ROLLBACKS_SINK,
                LedgerTopology.DEAD_LETTERS_SINK, LedgerTopology.STOCK_MOVEMENTS_SINK,
                LedgerTopology.STOCK_ALERTS_SINK)), nodes);
    }

    @Test
    void everyStoreIsNamedByItsConstant() {
        final Set<String> stores = nodes(TopologyDescription.Processor.class).flatMap(p -> p.stores().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of(LedgerStores.STOCK_LEVELS, LedgerStores.APPLIED_ADJUSTMENTS,
                LedgerStores.ORDERS)), stores);
    }

    @Test
    void readsEveryInputTopicAndBothCommandTopics() {
        assertEquals(new TreeSet<>(Set.of(EventTopic.ORDERS.topicName(), EventTopic.PAYMENTS.topicName(),
                EventTopic.CANCELLATIONS.topicName(), EventTopic.SHIPMENTS.topicName(),
                EventTopic.STOCK_ADJUSTMENTS.topicName(), LedgerTopics.ORDER_COMMANDS, LedgerTopics.SKU_COMMANDS)),
                sources());
        assertTrue(LedgerTopics.all().containsAll(sources()));
    }

    @Test
    void everyOutputIsWrittenBesideTheLedgerProcessorSoItCommitsWithTheChange() {
        assertEquals(new TreeSet<>(outputTopics()), sinksBeside(LedgerTopology.LEDGER_PROCESSOR));
    }

    private Set<String> sources() {
        return nodes(TopologyDescription.Source.class).flatMap(source -> source.topicSet().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The topology's nodes of one kind (processors, sources or sinks), of every sub-topology. */
    private <N extends TopologyDescription.Node> Stream<N> nodes(final Class<N> kind) {
        return description.subtopologies().stream().flatMap(s -> s.nodes().stream())
                .filter(kind::isInstance).map(kind::cast);
    }

    @Test
    void writesEveryOutputTopicOfTheContractAndOnlyTopicsItCreates() {
        final Set<String> sinks = nodes(TopologyDescription.Sink.class).map(TopologyDescription.Sink::topic)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(LedgerTopics.all().containsAll(sinks), sinks.toString());
        assertTrue(sinks.containsAll(outputTopics()), sinks.toString());
    }

    private static List<String> outputTopics() {
        return Stream.of(EventTopic.ORDER_OUTCOMES, EventTopic.STOCK_ROLLBACKS, EventTopic.STOCK_MOVEMENTS,
                EventTopic.STOCK_ALERTS, EventTopic.DEAD_LETTERS).map(EventTopic::topicName).toList();
    }

    private Set<String> sinksBeside(final String processorName) {
        final TopologyDescription.Subtopology subtopology = description.subtopologies().stream()
                .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals(processorName)))
                .findFirst().orElseThrow();
        final Set<String> topics = new TreeSet<>();
        subtopology.nodes().forEach(n -> {
            if (n instanceof TopologyDescription.Sink sink && outputTopics().contains(sink.topic())) {
                topics.add(sink.topic());
            }
        });
        return topics;
    }
}
