package io.stockline.topology.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stockline.ledger.Line;
import io.stockline.ledger.Order;
import io.stockline.ledger.OrderStatus;
import io.stockline.topology.projection.Projections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class OrderProjectionSupplierTest {

    @Test
    void changedOrderBecomesItsStatusRecordKeyedByOrderId() {
        // Given
        final MockProcessorContext<Struct, Struct> context = new MockProcessorContext<>();
        final Processor<String, Order, Struct, Struct> processor = new OrderProjectionSupplier("status").get();
        processor.init(context);
        final Order order = new Order("o1", OrderStatus.CONFIRMED, "e1", List.of(new Line("A", 2), new Line("B", 3)),
                1_000L, null, 901_000L, null, 5_000L, Map.of(), 0, null, List.of(), List.of());

        // When
        processor.process(new Record<>("o1", order, 4_000L));

        // Then
        final CapturedForward<? extends Struct, ? extends Struct> forwarded = context.forwarded().get(0);
        assertEquals(1, context.forwarded().size());
        assertEquals(Optional.of("status"), forwarded.childName());
        assertEquals(Projections.orderKey("o1"), forwarded.record().key());
        final Struct value = forwarded.record().value();
        assertEquals(Projections.orderStatus(order), value);
        assertEquals("CONFIRMED", value.getString(Projections.OrderStatus.STATUS));
        assertEquals(2, value.getInt32(Projections.OrderStatus.LINE_COUNT));
        assertEquals(5L, value.getInt64(Projections.OrderStatus.TOTAL_QUANTITY));
    }
}
