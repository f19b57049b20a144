package io.stockline.topology;

import io.stockline.schemas.EventTopic;
import io.stockline.topology.ContractRules.Rule;
import io.stockline.topology.processor.DecodeProcessorSupplier;
import io.stockline.topology.processor.OrderProcessorSupplier;
import io.stockline.topology.processor.OrderProjectionSupplier;
import io.stockline.topology.processor.StockProcessorSupplier;
import io.stockline.topology.processor.StockProjectionSupplier;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The ledger as a pure function of its config and serdes.
 *
 * <p>Three kinds of sub-topology, joined only through topics:
 * <ol>
 *   <li>one decoder per input topic: raw bytes in; a command keyed by order id (to {@link
 *       LedgerTopics#ORDER_COMMANDS}) or by SKU (to {@link LedgerTopics#SKU_COMMANDS}) out, or a dead
 *       letter. Re-keying here is what lets events of one order meet even when producers partitioned them
 *       some other way;</li>
 *   <li>the order side, reading order commands;</li>
 *   <li>the stock side, reading SKU commands and answering reserve requests on the order commands topic.</li>
 * </ol>
 * Each side also projects its changes for reporting ({@link LedgerTopics#projections()}), from a
 * projection processor in its own sub-topology, so a projection commits with the change it shows.
 * Sinks are never shared between sub-topologies: a shared node would fuse them into one.
 */
public final class LedgerTopology {

    public static final String ORDER_PROCESSOR = "order-processor";
    public static final String STOCK_PROCESSOR = "stock-processor";
    public static final String ORDER_PROJECTION = "order-projection";
    public static final String STOCK_PROJECTION = "stock-projection";
    private static final int TUNED_BATCH_BYTES = 256 * 1024;
    private static final String ORDER_COMMANDS_SOURCE = "order-commands-source";
    private static final String SKU_COMMANDS_SOURCE = "sku-commands-source";

    private LedgerTopology() {
    }

    public static Topology build(final LedgerConfig config, final LedgerSerdes serdes) {
        final Topology topology = new Topology();
        addDecoder(topology, EventTopic.ORDERS, serdes.orders(), ContractRules::order,
                LedgerTopics.ORDER_COMMANDS, serdes.orderCommands(), serdes);
        addDecoder(topology, EventTopic.PAYMENTS, serdes.payments(), ContractRules::payment,
                LedgerTopics.ORDER_COMMANDS, serdes.orderCommands(), serdes);
        addDecoder(topology, EventTopic.CANCELLATIONS, serdes.cancellations(), ContractRules::cancellation,
                LedgerTopics.ORDER_COMMANDS, serdes.orderCommands(), serdes);
        addDecoder(topology, EventTopic.STOCK_ADJUSTMENTS, serdes.adjustments(), ContractRules::adjustment,
                LedgerTopics.SKU_COMMANDS, serdes.stockCommands(), serdes);
        addOrderSide(topology, config, serdes);
        addStockSide(topology, serdes);
        return topology;
    }

    /**
     * Streams settings the ledger is only correct with: exactly-once, and every store, processor and
     * internal topic explicitly named so a restart after a topology change keeps its state.
     */
    public static Map<String, Object> requiredStreamsProperties() {
        return Map.of(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    }

    /**
     * Kafka Streams settings the ledger runs cheaper with, measured in docs/PERFORMANCE.md ("What each
     * change bought"). Unlike {@link #requiredStreamsProperties()} these are defaults: an operator's own
     * settings win over them.
     */
    public static Map<String, Object> tunedStreamsProperties() {
        return Map.of(
                // Under load the producer fills Kafka's 16 KiB default batch long before Streams' 100 ms
                // linger ends; bigger batches halve the broker's CPU per order.
                StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), TUNED_BATCH_BYTES,
                // The record caches cost more than the changelog writes they save: an order's key is
                // written a few times, mostly in different commits, and a SKU's level changes are
                // few next to the cache bookkeeping on every read and write.
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
    }

    private static <E, C> void addDecoder(final Topology topology, final EventTopic topic, final Serde<E> serde,
                                          final Rule<E, C> rule, final String commandTopic,
                                          final Serde<C> commandSerde, final LedgerSerdes serdes) {
        final String prefix = topic.topicName() + "-";
        final String source = prefix + "source";
        final String decoder = prefix + "decoder";
        final String commandSink = prefix + "to-" + commandTopic;
        final String deadLetterSink = prefix + "dead-letters-sink";
        topology.addSource(source, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic.topicName());
        topology.addProcessor(decoder,
                new DecodeProcessorSupplier<>(serde.deserializer(), rule, commandSink, deadLetterSink), source);
        topology.addSink(commandSink, commandTopic, new StringSerializer(), commandSerde.serializer(), decoder);
        addSink(topology, deadLetterSink, EventTopic.DEAD_LETTERS, serdes.deadLetters().serializer(), decoder);
    }

    private static void addOrderSide(final Topology topology, final LedgerConfig config, final LedgerSerdes serdes) {
        final OrderProcessorSupplier.Children children = new OrderProcessorSupplier.Children(
                "order-side-to-" + LedgerTopics.SKU_COMMANDS, "order-outcomes-sink", "order-side-dead-letters-sink",
                ORDER_PROJECTION);
        final String statusSink = LedgerTopics.ORDER_STATUS + "-sink";
        topology.addSource(ORDER_COMMANDS_SOURCE, new StringDeserializer(), serdes.orderCommands().deserializer(),
                LedgerTopics.ORDER_COMMANDS);
        topology.addProcessor(ORDER_PROCESSOR,
                new OrderProcessorSupplier(config, serdes.orderState(), children), ORDER_COMMANDS_SOURCE);
        topology.addSink(children.stockCommands(), LedgerTopics.SKU_COMMANDS, new StringSerializer(),
                serdes.stockCommands().serializer(), ORDER_PROCESSOR);
        addSink(topology, children.outcomes(), EventTopic.ORDER_OUTCOMES, serdes.outcomes().serializer(),
                ORDER_PROCESSOR);
        addSink(topology, children.deadLetters(), EventTopic.DEAD_LETTERS, serdes.deadLetters().serializer(),
                ORDER_PROCESSOR);
        topology.addProcessor(ORDER_PROJECTION, new OrderProjectionSupplier(statusSink), ORDER_PROCESSOR);
        addProjectionSink(topology, statusSink, LedgerTopics.ORDER_STATUS, serdes, ORDER_PROJECTION);
    }

    private static void addStockSide(final Topology topology, final LedgerSerdes serdes) {
        final StockProcessorSupplier.Children children = new StockProcessorSupplier.Children(
                "stock-side-to-" + LedgerTopics.ORDER_COMMANDS, "stock-side-outcomes-sink", "stock-rollbacks-sink",
                "stock-side-dead-letters-sink", STOCK_PROJECTION);
        final StockProjectionSupplier.Children projections = new StockProjectionSupplier.Children(
                LedgerTopics.STOCK_LEVELS + "-sink", LedgerTopics.STOCK_MOVEMENTS + "-sink");
        topology.addSource(SKU_COMMANDS_SOURCE, new StringDeserializer(), serdes.stockCommands().deserializer(),
                LedgerTopics.SKU_COMMANDS);
        topology.addProcessor(STOCK_PROCESSOR, new StockProcessorSupplier(serdes.stockState(), children),
                SKU_COMMANDS_SOURCE);
        topology.addSink(children.lineResults(), LedgerTopics.ORDER_COMMANDS, new StringSerializer(),
                serdes.orderCommands().serializer(), STOCK_PROCESSOR);
        addSink(topology, children.outcomes(), EventTopic.ORDER_OUTCOMES, serdes.outcomes().serializer(),
                STOCK_PROCESSOR);
        addSink(topology, children.rollbacks(), EventTopic.STOCK_ROLLBACKS, serdes.rollbacks().serializer(),
                STOCK_PROCESSOR);
        addSink(topology, children.deadLetters(), EventTopic.DEAD_LETTERS, serdes.deadLetters().serializer(),
                STOCK_PROCESSOR);
        topology.addProcessor(STOCK_PROJECTION, new StockProjectionSupplier(projections), STOCK_PROCESSOR);
        addProjectionSink(topology, projections.levels(), LedgerTopics.STOCK_LEVELS, serdes, STOCK_PROJECTION);
        addProjectionSink(topology, projections.movements(), LedgerTopics.STOCK_MOVEMENTS, serdes, STOCK_PROJECTION);
    }

    private static void addProjectionSink(final Topology topology, final String name, final String topic,
                                          final LedgerSerdes serdes, final String parent) {
        topology.addSink(name, topic, serdes.projectionKeys().serializer(), serdes.projectionValues().serializer(),
                parent);
    }

    private static <V> void addSink(final Topology topology, final String name, final EventTopic topic,
                                    final Serializer<V> serializer, final String parent) {
        topology.addSink(name, topic.topicName(), new StringSerializer(), serializer, parent);
    }
}
