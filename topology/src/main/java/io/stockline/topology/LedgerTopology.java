package io.stockline.topology;

import io.stockline.schemas.EventTopic;
import io.stockline.topology.ContractRules.Rule;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The ledger as a pure function of its config and serdes: one sub-topology, so task {@code p} reads
 * partition {@code p} of every input and command topic and holds the state of every order id and SKU
 * that hashes to {@code p}.
 *
 * <ol>
 *   <li>one decoder per input topic: raw bytes in; a command, or a dead letter, out. A command whose key
 *       this task owns goes straight to the ledger processor; one a producer put on another partition goes
 *       through its command topic ({@link LedgerTopics#ORDER_COMMANDS}, {@link LedgerTopics#SKU_COMMANDS})
 *       to the owner, so events of one order still meet in one place;</li>
 *   <li>the ledger processor, running the order side and the stock side of the keys this task owns, and
 *       sending commands for keys other tasks own through the command topics;</li>
 *   <li>each change of a SKU's levels as a contract record on {@link EventTopic#STOCK_MOVEMENTS}, in the same
 *       task and so in the same transaction as the change. The reporting tables are derived from it and from
 *       {@link EventTopic#ORDER_OUTCOMES} outside the ledger. Each crossing of a SKU's available stock goes to
 *       {@link EventTopic#STOCK_ALERTS} from the ledger processor, in that same transaction.</li>
 * </ol>
 */
public final class LedgerTopology {

    public static final String ORDERS_SOURCE = "orders-source";
    public static final String PAYMENTS_SOURCE = "payments-source";
    public static final String CANCELLATIONS_SOURCE = "cancellations-source";
    public static final String SHIPMENTS_SOURCE = "shipments-source";
    public static final String ADJUSTMENTS_SOURCE = "stock-adjustments-source";
    public static final String ORDER_COMMANDS_SOURCE = "order-commands-source";
    public static final String SKU_COMMANDS_SOURCE = "sku-commands-source";
    public static final String ORDERS_DECODER = "orders-decoder";
    public static final String PAYMENTS_DECODER = "payments-decoder";
    public static final String CANCELLATIONS_DECODER = "cancellations-decoder";
    public static final String SHIPMENTS_DECODER = "shipments-decoder";
    public static final String ADJUSTMENTS_DECODER = "stock-adjustments-decoder";
    public static final String LEDGER_PROCESSOR = "ledger-processor";
    public static final String MOVEMENT_MAPPER = "movement-mapper";
    public static final String ORDER_COMMANDS_SINK = "order-commands-sink";
    public static final String SKU_COMMANDS_SINK = "sku-commands-sink";
    public static final String OUTCOMES_SINK = "order-outcomes-sink";
    public static final String ROLLBACKS_SINK = "stock-rollbacks-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    public static final String STOCK_MOVEMENTS_SINK = "stock-movements-sink";
    public static final String STOCK_ALERTS_SINK = "stock-alerts-sink";
    private static final int TUNED_BATCH_BYTES = 256 * 1024;

    private LedgerTopology() {
    }

    public static Topology build(final LedgerConfig config, final LedgerSerdes serdes) {
        final Topology topology = new Topology();
        addDecoder(topology, config, EventTopic.ORDERS, ORDERS_SOURCE, ORDERS_DECODER, serdes.orders(),
                (key, order, origin) -> ContractRules.order(key, order, origin, config.allocation()),
                ORDER_COMMANDS_SINK);
        addDecoder(topology, config, EventTopic.PAYMENTS, PAYMENTS_SOURCE, PAYMENTS_DECODER, serdes.payments(),
                ContractRules::payment, ORDER_COMMANDS_SINK);
        addDecoder(topology, config, EventTopic.CANCELLATIONS, CANCELLATIONS_SOURCE, CANCELLATIONS_DECODER,
                serdes.cancellations(), ContractRules::cancellation, ORDER_COMMANDS_SINK);
        addDecoder(topology, config, EventTopic.SHIPMENTS, SHIPMENTS_SOURCE, SHIPMENTS_DECODER, serdes.shipments(),
                ContractRules::shipment, ORDER_COMMANDS_SINK);
        addDecoder(topology, config, EventTopic.STOCK_ADJUSTMENTS, ADJUSTMENTS_SOURCE, ADJUSTMENTS_DECODER,
                serdes.adjustments(),
                (key, adjustment, origin) -> ContractRules.adjustment(key, adjustment, origin, config.allocation()),
                SKU_COMMANDS_SINK);
        topology.addSource(ORDER_COMMANDS_SOURCE, new StringDeserializer(), serdes.orderCommands().deserializer(),
                LedgerTopics.ORDER_COMMANDS);
        topology.addSource(SKU_COMMANDS_SOURCE, new StringDeserializer(), serdes.stockCommands().deserializer(),
                LedgerTopics.SKU_COMMANDS);
        addLedger(topology, config, serdes);
        return topology;
    }

    /**
     * Streams settings the ledger is only correct with: exactly-once; every store, processor and internal
     * topic explicitly named so a restart after a topology change keeps its state; and queries that read
     * committed state only (KIP-892), which needs both of the last two: without transactional stores a
     * store holds the open transaction's writes and no isolation level can hide them.
     */
    public static Map<String, Object> requiredStreamsProperties() {
        return Map.of(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true,
                // Writes wait in a buffer until their transaction commits, so a kill -9 leaves committed state
                // on disk and a restart replays only the changelog written since, instead of wiping the stores.
                StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true,
                StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.name());
    }

    /**
     * Kafka Streams settings the ledger runs cheaper with, measured in docs/PERFORMANCE.md ("What each
     * change bought"). Unlike {@link #requiredStreamsProperties()} these are defaults: an operator's own
     * settings win over them.
     */
    public static Map<String, Object> tunedStreamsProperties() {
        return Map.of(
                // A task reads seven topics whose relative order means nothing to the ledger (a payment before
                // its order is held), so it need not wait to learn whether an empty one has data coming.
                StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L,
                // Under load the producer fills Kafka's 16 KiB default batch long before Streams' 100 ms
                // linger ends; bigger batches halve the broker's CPU per order.
                StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), TUNED_BATCH_BYTES,
                // The record caches cost more than the changelog writes they save: an order's key is
                // written a few times, mostly in different commits, and a SKU's level changes are
                // few next to the cache bookkeeping on every read and write.
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
    }

    private static <E, C> void addDecoder(final Topology topology, final LedgerConfig config, final EventTopic topic,
                                          final String source, final String decoder, final Serde<E> serde,
                                          final Rule<E, C> rule, final String commandSink) {
        topology.addSource(source, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic.topicName());
        topology.addProcessor(decoder, new DecodeProcessorSupplier<>(serde.deserializer(), rule, config.partitions(),
                new DecodeProcessorSupplier.Children(LEDGER_PROCESSOR, commandSink, DEAD_LETTERS_SINK)), source);
    }

    private static void addLedger(final Topology topology, final LedgerConfig config, final LedgerSerdes serdes) {
        final LedgerProcessorSupplier.Children children = new LedgerProcessorSupplier.Children(ORDER_COMMANDS_SINK,
                SKU_COMMANDS_SINK, OUTCOMES_SINK, ROLLBACKS_SINK, DEAD_LETTERS_SINK,
                MOVEMENT_MAPPER, STOCK_ALERTS_SINK);
        topology.addProcessor(LEDGER_PROCESSOR,
                new LedgerProcessorSupplier(config, serdes.orderState(), serdes.stockState(), children),
                ORDERS_DECODER, PAYMENTS_DECODER, CANCELLATIONS_DECODER, SHIPMENTS_DECODER, ADJUSTMENTS_DECODER,
                ORDER_COMMANDS_SOURCE, SKU_COMMANDS_SOURCE);
        topology.addSink(ORDER_COMMANDS_SINK, LedgerTopics.ORDER_COMMANDS, new StringSerializer(),
                serdes.orderCommands().serializer(), ORDERS_DECODER, PAYMENTS_DECODER, CANCELLATIONS_DECODER,
                SHIPMENTS_DECODER, LEDGER_PROCESSOR);
        topology.addSink(SKU_COMMANDS_SINK, LedgerTopics.SKU_COMMANDS, new StringSerializer(),
                serdes.stockCommands().serializer(), ADJUSTMENTS_DECODER, LEDGER_PROCESSOR);
        addSink(topology, OUTCOMES_SINK, EventTopic.ORDER_OUTCOMES, serdes.outcomes().serializer(), LEDGER_PROCESSOR);
        addSink(topology, ROLLBACKS_SINK, EventTopic.STOCK_ROLLBACKS, serdes.rollbacks().serializer(),
                LEDGER_PROCESSOR);
        addSink(topology, STOCK_ALERTS_SINK, EventTopic.STOCK_ALERTS, serdes.alerts().serializer(), LEDGER_PROCESSOR);
        addSink(topology, DEAD_LETTERS_SINK, EventTopic.DEAD_LETTERS, serdes.deadLetters().serializer(),
                ORDERS_DECODER, PAYMENTS_DECODER, CANCELLATIONS_DECODER, SHIPMENTS_DECODER, ADJUSTMENTS_DECODER,
                LEDGER_PROCESSOR);
        topology.addProcessor(MOVEMENT_MAPPER, new MovementMapperSupplier(STOCK_MOVEMENTS_SINK), LEDGER_PROCESSOR);
        addSink(topology, STOCK_MOVEMENTS_SINK, EventTopic.STOCK_MOVEMENTS, serdes.movements().serializer(),
                MOVEMENT_MAPPER);
    }

    private static <V> void addSink(final Topology topology, final String name, final EventTopic topic,
                                    final Serializer<V> serializer, final String... parents) {
        topology.addSink(name, topic.topicName(), new StringSerializer(), serializer, parents);
    }
}
