package io.stockline.topology.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stockline.ledger.Movement;
import io.stockline.ledger.StockCommand;
import io.stockline.ledger.StockLevel;
import io.stockline.topology.projection.Projections;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class StockProjectionSupplierTest {

    private static final long EVENT_TIME = 1_000L;

    @Test
    void movementBecomesTheSkusNewLevelsAndTheMovementBothKeyedBySku() {
        // Given
        final MockProcessorContext<Struct, Struct> context = new MockProcessorContext<>();
        final Processor<String, Movement, Struct, Struct> processor =
                new StockProjectionSupplier(new StockProjectionSupplier.Children("levels", "movements")).get();
        processor.init(context);
        final StockLevel before = new StockLevel("A", 10, 10, 0, 1, 500L);
        final StockLevel after = before.reserve(4, 2_000L);
        final Movement movement = Movement.of(before, after, new StockCommand.Reserve("o1", "A", 4));

        // When
        processor.process(new Record<>("A", movement, EVENT_TIME));

        // Then
        final List<CapturedForward<? extends Struct, ? extends Struct>> forwarded = context.forwarded();
        assertEquals(2, forwarded.size());
        assertEquals(Optional.of("levels"), forwarded.get(0).childName());
        assertEquals(Projections.skuKey("A"), forwarded.get(0).record().key());
        assertEquals(Projections.stockLevel(after), forwarded.get(0).record().value());
        assertEquals(EVENT_TIME, forwarded.get(0).record().timestamp());
        assertEquals(Optional.of("movements"), forwarded.get(1).childName());
        assertEquals(Projections.skuKey("A"), forwarded.get(1).record().key());
        assertEquals(Projections.movement(movement), forwarded.get(1).record().value());
    }
}
