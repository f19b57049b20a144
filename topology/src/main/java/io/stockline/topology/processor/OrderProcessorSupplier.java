package io.stockline.topology.processor;

import io.stockline.ledger.Order;
import io.stockline.ledger.OrderCommand;
import io.stockline.ledger.OrderMachine;
import io.stockline.ledger.OrderStep;
import io.stockline.ledger.Outcome;
import io.stockline.ledger.Rejection;
import io.stockline.ledger.StockCommand;
import io.stockline.ledger.Timer;
import io.stockline.topology.ContractMapper;
import io.stockline.topology.LedgerConfig;
import io.stockline.topology.LedgerStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
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
 * The order side: keyed by order id, it runs each order through {@link OrderMachine}, asks the stock side
 * to reserve, commit or release, and publishes outcomes and dead letters; each change of an order's
 * status goes to the projection. A wall-clock punctuator fires due timers (expiries, orphan grace
 * periods) even when no record arrives on the partition.
 */
public final class OrderProcessorSupplier implements ProcessorSupplier<String, OrderCommand, String, Object> {

    /** How many due timers one punctuation handles at most, so a backlog never stalls the task. */
    static final int MAX_TIMERS_PER_PUNCTUATION = 10_000;

    private final LedgerConfig config;
    private final Serde<Order> orderSerde;
    private final Children children;

    /** Where this processor's output goes, by child node name. */
    public record Children(String stockCommands, String outcomes, String deadLetters, String statusChanges) {
    }

    public OrderProcessorSupplier(final LedgerConfig config, final Serde<Order> orderSerde, final Children children) {
        this.config = config;
        this.orderSerde = orderSerde;
        this.children = children;
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LedgerStores.ORDERS),
                        Serdes.String(), orderSerde).withCachingEnabled(),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LedgerStores.ORDER_TIMERS),
                        Serdes.String(), Serdes.String()).withCachingEnabled());
    }

    @Override
    public Processor<String, OrderCommand, String, Object> get() {
        return new OrderProcessor();
    }

    private final class OrderProcessor extends ContextualProcessor<String, OrderCommand, String, Object> {

        private final OrderMachine machine = new OrderMachine(config.defaultHold().toMillis(),
                config.orphanGrace().toMillis());
        private KeyValueStore<String, Order> orders;
        private KeyValueStore<String, String> timers;
        private LedgerMetrics metrics;

        @Override
        public void init(final ProcessorContext<String, Object> context) {
            super.init(context);
            orders = context.getStateStore(LedgerStores.ORDERS);
            timers = context.getStateStore(LedgerStores.ORDER_TIMERS);
            metrics = new LedgerMetrics(context.metrics());
            context.schedule(config.timerInterval(), PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
        }

        @Override
        public void process(final Record<String, OrderCommand> record) {
            final long now = context().currentSystemTimeMs();
            final OrderCommand command = record.value();
            final Order current = orders.get(command.orderId());
            final OrderStep step;
            if (command instanceof OrderCommand.PlaceOrder place) {
                step = machine.place(current, place, now);
            } else if (command instanceof OrderCommand.ApplyPayment payment) {
                step = machine.payment(current, payment, now);
            } else if (command instanceof OrderCommand.CancelOrder cancel) {
                step = machine.cancel(current, cancel, now);
            } else {
                step = machine.lineResult(current, (OrderCommand.LineResult) command, now);
            }
            apply(current, step, record.timestamp(), now);
        }

        private void fireDueTimers(final long now) {
            for (final KeyValue<String, String> due : dueTimers(now)) {
                timers.delete(due.key);
                final Timer timer = TimerKey.parse(due.key);
                final Order current = orders.get(timer.orderId());
                final OrderStep step = timer.kind() == Timer.Kind.EXPIRY
                        ? machine.expire(current, now) : machine.orphanTimeout(current, now);
                apply(current, step, now, now);
            }
        }

        /** Collected first, so the store is not changed under an open iterator. */
        private List<KeyValue<String, String>> dueTimers(final long now) {
            final List<KeyValue<String, String>> due = new ArrayList<>();
            try (KeyValueIterator<String, String> all = timers.all()) {
                while (all.hasNext() && due.size() < MAX_TIMERS_PER_PUNCTUATION) {
                    final KeyValue<String, String> next = all.next();
                    if (TimerKey.parse(next.key).dueAt() > now) {
                        break;
                    }
                    due.add(next);
                }
            }
            return due;
        }

        private void apply(final Order before, final OrderStep step, final long timestamp, final long now) {
            if (step.order() != before) {
                orders.put(step.order().orderId(), step.order());
            }
            step.timersToClear().forEach(t -> timers.delete(TimerKey.format(t)));
            step.timersToSet().forEach(t -> timers.put(TimerKey.format(t), t.orderId()));
            for (final StockCommand command : step.stockCommands()) {
                context().forward(new Record<>(command.sku(), command, timestamp), children.stockCommands());
            }
            for (final Outcome outcome : step.outcomes()) {
                context().forward(new Record<>(outcome.orderId(), ContractMapper.outcome(outcome), timestamp),
                        children.outcomes());
                metrics.outcome(outcome.status().name());
            }
            step.statusChange().ifPresent(order ->
                    context().forward(new Record<>(order.orderId(), order, timestamp), children.statusChanges()));
            for (final Rejection rejection : step.rejections()) {
                context().forward(new Record<>(rejection.origin().key(), ContractMapper.deadLetter(rejection, now),
                        timestamp), children.deadLetters());
                metrics.deadLetter(rejection.code().name());
            }
        }
    }
}
