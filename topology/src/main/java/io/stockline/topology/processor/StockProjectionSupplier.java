package io.stockline.topology.processor;

import io.stockline.ledger.Movement;
import io.stockline.topology.projection.Projections;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The stock side's reporting projections: each movement the stock processor forwards becomes the SKU's
 * new levels (for {@code stock-levels}) and the movement itself (for {@code stock-movements}). It runs
 * in the stock side's task, so both records commit with the change behind them.
 */
public final class StockProjectionSupplier implements ProcessorSupplier<String, Movement, Struct, Struct> {

    private final Children children;

    /** Where this processor's output goes, by child node name. */
    public record Children(String levels, String movements) {
    }

    public StockProjectionSupplier(final Children children) {
        this.children = children;
    }

    @Override
    public Processor<String, Movement, Struct, Struct> get() {
        return new StockProjection();
    }

    private final class StockProjection extends ContextualProcessor<String, Movement, Struct, Struct> {

        @Override
        public void process(final Record<String, Movement> record) {
            final Movement movement = record.value();
            final Struct key = Projections.skuKey(movement.sku());
            context().forward(record.withKey(key).withValue(Projections.stockLevel(movement.after())),
                    children.levels());
            context().forward(record.withKey(key).withValue(Projections.movement(movement)), children.movements());
        }
    }
}
