package io.stockline.topology.processor;

import io.stockline.ledger.StockCommand;
import io.stockline.ledger.StockLevel;
import io.stockline.ledger.StockMachine;
import io.stockline.ledger.StockStep;
import io.stockline.topology.ContractMapper;
import io.stockline.topology.LedgerStores;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The stock side: keyed by SKU, it applies adjustments and the order side's reserve, commit, release and
 * refund requests through {@link StockMachine}, answers reserve requests (and publishes the decision of a
 * one-line order, which that answer is), and publishes rollbacks and dead letters. Every change of a level goes, as a {@link io.stockline.ledger.Movement}, to the projection. One SKU lives in one task, so its units can never be handed out twice.
 */
public final class StockProcessorSupplier implements ProcessorSupplier<String, StockCommand, String, Object> {

    private final Serde<StockLevel> levelSerde;
    private final Children children;

    /** Where this processor's output goes, by child node name. */
    public record Children(String lineResults, String outcomes, String rollbacks, String deadLetters,
                           String levelChanges) {
    }

    public StockProcessorSupplier(final Serde<StockLevel> levelSerde, final Children children) {
        this.levelSerde = levelSerde;
        this.children = children;
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LedgerStores.STOCK_LEVELS),
                        Serdes.String(), levelSerde).withCachingEnabled(),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LedgerStores.APPLIED_ADJUSTMENTS),
                        Serdes.String(), Serdes.Long()).withCachingEnabled());
    }

    @Override
    public Processor<String, StockCommand, String, Object> get() {
        return new StockProcessor();
    }

    private final class StockProcessor extends ContextualProcessor<String, StockCommand, String, Object> {

        private KeyValueStore<String, StockLevel> levels;
        private KeyValueStore<String, Long> appliedAdjustments;
        private LedgerMetrics metrics;

        @Override
        public void init(final ProcessorContext<String, Object> context) {
            super.init(context);
            levels = context.getStateStore(LedgerStores.STOCK_LEVELS);
            appliedAdjustments = context.getStateStore(LedgerStores.APPLIED_ADJUSTMENTS);
            metrics = new LedgerMetrics(context.metrics());
        }

        @Override
        public void process(final Record<String, StockCommand> record) {
            final long now = context().currentSystemTimeMs();
            final StockCommand command = record.value();
            final String adjustmentKey = command instanceof StockCommand.Adjust adjust
                    ? adjust.sku() + '\u0000' + adjust.adjustmentId() : null;
            final boolean alreadyApplied = adjustmentKey != null && appliedAdjustments.get(adjustmentKey) != null;
            final StockStep step = StockMachine.apply(levels.get(command.sku()), command, alreadyApplied, now);
            if (step.changed()) {
                levels.put(command.sku(), step.level());
            }
            if (adjustmentKey != null && !alreadyApplied) {
                appliedAdjustments.put(adjustmentKey, now);
            }
            forward(step, record.timestamp(), now);
        }

        private void forward(final StockStep step, final long timestamp, final long now) {
            if (step.movement() != null) {
                context().forward(new Record<>(step.movement().sku(), step.movement(), timestamp),
                        children.levelChanges());
            }
            if (step.outcome() != null) {
                context().forward(new Record<>(step.outcome().orderId(), ContractMapper.outcome(step.outcome()),
                        timestamp), children.outcomes());
                metrics.outcome(step.outcome().status().name());
            }
            if (step.reply() != null) {
                context().forward(new Record<>(step.reply().orderId(), step.reply(), timestamp),
                        children.lineResults());
            }
            if (step.rollback() != null) {
                context().forward(new Record<>(step.rollback().orderId(), ContractMapper.rollback(step.rollback()),
                        timestamp), children.rollbacks());
                metrics.rollback(step.rollback().cause().name());
            }
            if (step.rejection() != null) {
                context().forward(new Record<>(step.rejection().origin().key(),
                        ContractMapper.deadLetter(step.rejection(), now), timestamp), children.deadLetters());
                metrics.deadLetter(step.rejection().code().name());
            }
        }
    }
}
