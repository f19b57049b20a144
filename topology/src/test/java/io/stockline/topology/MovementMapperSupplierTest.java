package io.stockline.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stockline.ledger.Movement;
import io.stockline.ledger.ReleaseCause;
import io.stockline.ledger.StockCommand;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.MovementKind;
import io.stockline.schemas.RollbackCause;
import io.stockline.schemas.StockMovement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class MovementMapperSupplierTest {

    private static final long EVENT_TIME = 1_000L;

    @Test
    void movementBecomesItsContractRecordKeyedBySkuWithTheLevelsAfterIt() {
        // Given
        final MockProcessorContext<String, StockMovement> context = new MockProcessorContext<>();
        final Processor<String, Movement, String, StockMovement> processor =
                new MovementMapperSupplier("movements").get();
        processor.init(context);
        final StockLevel before = new StockLevel("A", 10, 6, 4, 2, 500L);
        final StockLevel after = before.release(4, 2_000L);
        final Movement movement = Movement.of(before, after,
                new StockCommand.Release("o1", "A", 4, ReleaseCause.EXPIRED));

        // When
        processor.process(new Record<>("A", movement, EVENT_TIME));

        // Then
        final List<CapturedForward<? extends String, ? extends StockMovement>> forwarded = context.forwarded();
        assertEquals(1, forwarded.size());
        assertEquals(Optional.of("movements"), forwarded.get(0).childName());
        assertEquals("A", forwarded.get(0).record().key());
        assertEquals(EVENT_TIME, forwarded.get(0).record().timestamp());
        assertEquals(new StockMovement(movement.movementId(), "A", MovementKind.RELEASE, "o1", null,
                RollbackCause.EXPIRED, 0L, 4L, -4L, 10L, 10L, 0L, 3L, Instant.ofEpochMilli(2_000L), null, null, null, null, null, null),
                forwarded.get(0).record().value());
    }
}
