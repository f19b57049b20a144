package io.stockline.topology;

import io.stockline.ledger.Alert;
import io.stockline.ledger.Movement;
import io.stockline.ledger.Order;
import io.stockline.ledger.OrderCommand;
import io.stockline.ledger.OrderMachine;
import io.stockline.ledger.OrderStep;
import io.stockline.ledger.Outcome;
import io.stockline.ledger.Rejection;
import io.stockline.ledger.Retention;
import io.stockline.ledger.StockCommand;
import io.stockline.ledger.StockLevel;
import io.stockline.ledger.StockMachine;
import io.stockline.ledger.StockStep;
import io.stockline.ledger.Timer;
import io.stockline.ledger.TimerQueue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The ledger in one task: the order side (order id to {@link Order}, through {@link OrderMachine}) and the
 * stock side (SKU to {@link StockLevel}, through {@link StockMachine}) of every key this task's partition
 * owns. A command for a key owned here is applied at once, in this same transaction; only a command for a
 * key another task owns goes out on its command topic. An order whose SKUs all live here is decided in one
 * step, with no topic in between; one SKU still lives in exactly one task, so its units are handed out one
 * request at a time.
 *
 * <p>Everything one input record causes is worked off before the next is read, and each order and level it
 * touched is written to its store once, at the end. A wall-clock punctuator fires due timers (expiries,
 * orphan grace periods) even when no record arrives on the partition.
 */
public final class LedgerProcessorSupplier implements ProcessorSupplier<String, Object, String, Object> {

    /** How many due timers one punctuation handles at most, so a backlog never stalls the task. */
    static final int MAX_TIMERS_PER_PUNCTUATION = 10_000;
    /** How often the retention sweep looks at the next slice of the stores. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
    /** A whole pass over a store takes at most this share of the retention, so nothing outlives it by more. */
    static final int PASSES_PER_RETENTION = 2;

    private final LedgerConfig config;
    private final Serde<Order> orderSerde;
    private final Serde<StockLevel> levelSerde;
    private final Children children;

    /** Where this processor's output goes, by child node name. */
    public record Children(String orderCommands, String skuCommands, String outcomes, String rollbacks,
                           String deadLetters, String levelChanges, String alerts) {
    }

    public LedgerProcessorSupplier(final LedgerConfig config, final Serde<Order> orderSerde,
                                   final Serde<StockLevel> levelSerde, final Children children) {
        this.config = config;
        this.orderSerde = orderSerde;
        this.levelSerde = levelSerde;
        this.children = children;
    }

    /**
     * Only the stock levels go through the record cache (when {@code statestore.cache.max.bytes} gives it room):
     * a popular SKU changes many times between two commits, an order a few times in different ones.
     */
    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(
                Stores.keyValueStoreBuilder(UncopiedPositionStore.persistent(LedgerStores.ORDERS),
                        Serdes.String(), orderSerde),
                Stores.keyValueStoreBuilder(UncopiedPositionStore.persistent(LedgerStores.STOCK_LEVELS),
                        Serdes.String(), levelSerde).withCachingEnabled(),
                Stores.keyValueStoreBuilder(UncopiedPositionStore.persistent(LedgerStores.APPLIED_ADJUSTMENTS),
                        Serdes.String(), Serdes.Long()));
    }

    @Override
    public Processor<String, Object, String, Object> get() {
        return new LedgerProcessor();
    }

    private final class LedgerProcessor extends ContextualProcessor<String, Object, String, Object> {

        private final OrderMachine machine = new OrderMachine(config.defaultHold().toMillis(),
                config.orphanGrace().toMillis(), config.deductOn());
        private final SoldOutMarks marks = new SoldOutMarks(config.soldOutRecheck().toMillis());
        private final Retention retention = new Retention(config.retention());
        /** Commands for keys owned here, caused by the record in hand and not yet applied. */
        private final ArrayDeque<Object> work = new ArrayDeque<>();
        private Written<Order> orders;
        private Written<StockLevel> levels;
        /** Rebuilt from the order store in {@link #init}, which Streams calls again after any restore. */
        private TimerQueue timers;
        private KeyValueStore<String, Long> appliedAdjustments;
        private RetentionSweep<Order> orderSweep;
        private RetentionSweep<Long> adjustmentSweep;
        private Partitioning partitioning;
        private LedgerMetrics metrics;

        @Override
        public void init(final ProcessorContext<String, Object> context) {
            super.init(context);
            final KeyValueStore<String, Order> orderStore = context.getStateStore(LedgerStores.ORDERS);
            orders = new Written<>(orderStore);
            levels = new Written<>(context.getStateStore(LedgerStores.STOCK_LEVELS));
            rebuildTimers(orderStore);
            appliedAdjustments = context.getStateStore(LedgerStores.APPLIED_ADJUSTMENTS);
            final long pass = config.retention().toMillis() / PASSES_PER_RETENTION;
            orderSweep = new RetentionSweep<>(orderStore, retention::mayForget, pass);
            adjustmentSweep = new RetentionSweep<>(appliedAdjustments, retention::mayForgetAdjustment, pass);
            partitioning = new Partitioning(config.partitions(), context.taskId().partition());
            metrics = new LedgerMetrics(context.metrics());
            context.schedule(config.timerInterval(), PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
            context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::sweep);
        }

        /**
         * A command routed here: by a decoder in this task, or through a command topic from another. An event
         * from outside older than the retention is refused before it can meet the state it may refer to.
         */
        @Override
        public void process(final Record<String, Object> record) {
            final long now = context().currentSystemTimeMs();
            final Rejection stale = retention.refuseIfStale(record.value(), now);
            if (stale != null) {
                publishDeadLetter(stale, record.timestamp(), now);
                return;
            }
            work.add(record.value());
            workOff(record.timestamp(), now);
            flush();
        }

        private void workOff(final long timestamp, final long now) {
            while (!work.isEmpty()) {
                final Object next = work.poll();
                if (next instanceof OrderCommand command) {
                    onOrderCommand(command, timestamp, now);
                } else {
                    onStockCommand((StockCommand) next, timestamp, now);
                }
            }
        }

        private void flush() {
            orders.flush();
            levels.flush();
        }

        private void onOrderCommand(final OrderCommand command, final long timestamp, final long now) {
            final Order current = orders.get(command.orderId());
            final OrderStep step;
            if (command instanceof OrderCommand.PlaceOrder place) {
                step = machine.place(current, place, now, sku -> knownAvailable(sku, now));
            } else if (command instanceof OrderCommand.ApplyPayment payment) {
                step = machine.payment(current, payment, now);
            } else if (command instanceof OrderCommand.CancelOrder cancel) {
                step = machine.cancel(current, cancel, now);
            } else if (command instanceof OrderCommand.ShipOrder ship) {
                step = machine.ship(current, ship, now);
            } else {
                final OrderCommand.LineResult result = (OrderCommand.LineResult) command;
                if (!partitioning.ownsKey(result.sku())) {
                    marks.answered(result.sku(), result.reserved()
                            ? result.available() - result.quantity() : result.available(), now);
                }
                step = machine.lineResult(current, result, now);
            }
            applyOrderStep(current, step, timestamp, now);
        }

        /**
         * A SKU this task owns is known exactly; one marked sold out by its owner is known to have none (for a
         * while); any other must be asked. Checking every line before locking any means an order that cannot
         * fit here locks nothing and releases nothing.
         */
        private Long knownAvailable(final String sku, final long now) {
            if (partitioning.ownsKey(sku)) {
                final StockLevel level = levels.get(sku);
                return level == null ? 0L : level.reservableAt(now);
            }
            return marks.rejectsWithoutAsking(sku, now) ? 0L : null;
        }

        /**
         * Every timer follows from its order's state, so none is stored: a task starting (or revived after an
         * aborted transaction, which closes its stores and opens them again at the last commit) reads them back
         * from the orders it holds.
         */
        private void rebuildTimers(final KeyValueStore<String, Order> store) {
            // A fresh queue: a task revived after an aborted transaction keeps this processor instance.
            timers = new TimerQueue();
            try (KeyValueIterator<String, Order> all = store.all()) {
                all.forEachRemaining(entry -> machine.timersOf(entry.value).forEach(timers::set));
            }
        }

        private void fireDueTimers(final long now) {
            for (final Timer timer : timers.takeDue(now, MAX_TIMERS_PER_PUNCTUATION)) {
                final Order current = orders.get(timer.orderId());
                final OrderStep step = timer.kind() == Timer.Kind.EXPIRY
                        ? machine.expire(current, now) : machine.orphanTimeout(current, now);
                applyOrderStep(current, step, now, now);
                workOff(now, now);
            }
            flush();
        }

        /** Forgets a slice's worth of settled orders and applied adjustment ids older than the retention. */
        private void sweep(final long now) {
            final long interval = SWEEP_INTERVAL.toMillis();
            metrics.forgotten(LedgerStores.ORDERS, orderSweep.sweep(now, interval));
            metrics.forgotten(LedgerStores.APPLIED_ADJUSTMENTS, adjustmentSweep.sweep(now, interval));
        }

        private void applyOrderStep(final Order before, final OrderStep step, final long timestamp, final long now) {
            if (step.order() != before) {
                orders.put(step.order().orderId(), step.order());
            }
            step.timersToClear().forEach(timers::clear);
            step.timersToSet().forEach(timers::set);
            for (final StockCommand command : step.stockCommands()) {
                final boolean sent = !route(command, command.sku(), children.skuCommands(), timestamp);
                if (sent && command instanceof StockCommand.Reserve) {
                    marks.asking(command.sku(), now);
                }
            }
            for (final Outcome outcome : step.outcomes()) {
                publishOutcome(outcome, timestamp);
            }
            step.rejections().forEach(rejection -> publishDeadLetter(rejection, timestamp, now));
        }

        private void onStockCommand(final StockCommand command, final long timestamp, final long now) {
            final String adjustmentKey = command instanceof StockCommand.Adjust adjust
                    ? adjust.sku() + '\u0000' + adjust.adjustmentId() : null;
            final boolean alreadyApplied = adjustmentKey != null && appliedAdjustments.get(adjustmentKey) != null;
            final StockStep step = StockMachine.apply(levels.get(command.sku()), command, alreadyApplied, now,
                    config.allocation());
            if (step.changed()) {
                levels.put(command.sku(), step.level());
            }
            if (adjustmentKey != null && !alreadyApplied) {
                appliedAdjustments.put(adjustmentKey, Retention.keptFrom((StockCommand.Adjust) command, now));
            }
            applyStockStep(step, timestamp, now);
        }

        private void applyStockStep(final StockStep step, final long timestamp, final long now) {
            for (final Movement movement : step.movements()) {
                context().forward(new Record<>(movement.sku(), movement, timestamp), children.levelChanges());
            }
            for (final Alert alert : step.alerts()) {
                context().forward(new Record<>(alert.sku(), ContractMapper.alert(alert), timestamp), children.alerts());
                metrics.alert(alert.kind().name());
            }
            if (step.outcome() != null) {
                publishOutcome(step.outcome(), timestamp);
            }
            if (step.reply() != null) {
                route(step.reply(), step.reply().orderId(), children.orderCommands(), timestamp);
            }
            if (step.rollback() != null) {
                context().forward(new Record<>(step.rollback().orderId(), ContractMapper.rollback(step.rollback()),
                        timestamp), children.rollbacks());
                metrics.rollback(step.rollback().cause().name());
            }
            if (step.rejection() != null) {
                publishDeadLetter(step.rejection(), timestamp, now);
            }
        }

        /** Applied here if this task owns the key, else sent to the task that does; true when applied here. */
        private boolean route(final Object command, final String key, final String topicChild, final long timestamp) {
            if (partitioning.ownsKey(key)) {
                work.add(command);
                return true;
            }
            context().forward(new Record<>(key, command, timestamp), topicChild);
            return false;
        }

        private void publishOutcome(final Outcome outcome, final long timestamp) {
            context().forward(new Record<>(outcome.orderId(), ContractMapper.outcome(outcome), timestamp),
                    children.outcomes());
            metrics.outcome(outcome.status().name());
        }

        private void publishDeadLetter(final Rejection rejection, final long timestamp, final long now) {
            context().forward(new Record<>(rejection.origin().key(), ContractMapper.deadLetter(rejection, now),
                    timestamp), children.deadLetters());
            metrics.deadLetter(rejection.code().name());
        }
    }

    /**
     * A store read through the values written since the last flush, which go to the store (and its
     * changelog) once each: an order placed and decided within one record is one write, not two.
     */
    private static final class Written<V> {
        private final KeyValueStore<String, V> store;
        private final Map<String, V> dirty = new LinkedHashMap<>();

        Written(final KeyValueStore<String, V> store) {
            this.store = store;
        }

        V get(final String key) {
            final V written = dirty.get(key);
            return written != null ? written : store.get(key);
        }

        void put(final String key, final V value) {
            dirty.put(key, value);
        }

        void flush() {
            if (!dirty.isEmpty()) {
                dirty.forEach(store::put);
                dirty.clear();
            }
        }
    }
}
