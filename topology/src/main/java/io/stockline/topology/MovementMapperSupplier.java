package io.stockline.topology;

import io.stockline.ledger.Movement;
import io.stockline.schemas.StockMovement;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Each change of a SKU's levels the ledger processor forwards becomes its contract record on
 * {@code stock-movements}. It runs in the ledger processor's task, so the movement commits with the change.
 */
public final class MovementMapperSupplier implements ProcessorSupplier<String, Movement, String, StockMovement> {

    private final String movementsChild;

    public MovementMapperSupplier(final String movementsChild) {
        this.movementsChild = movementsChild;
    }

    @Override
    public Processor<String, Movement, String, StockMovement> get() {
        return new MovementMapper();
    }

    private final class MovementMapper extends ContextualProcessor<String, Movement, String, StockMovement> {

        @Override
        public void process(final Record<String, Movement> record) {
            context().forward(record.withValue(ContractMapper.movement(record.value())), movementsChild);
        }
    }
}
