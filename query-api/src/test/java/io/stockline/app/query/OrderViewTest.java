package io.stockline.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stockline.app.query.OrderView.LineView;
import io.stockline.ledger.Line;
import io.stockline.ledger.Order;
import io.stockline.ledger.OrderStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderViewTest {

    @Test
    void showsTheLinesAsPlacedAndWhatIsStillLockedAndSoldInTheirOrder() {
        // Given an order of A2, B3, C1: C cancelled, B shipped, A still allocated (deducting on shipment)
        final Map<String, Long> locked = new LinkedHashMap<>();
        locked.put("A", 2L);
        final Map<String, Long> sold = new LinkedHashMap<>();
        sold.put("B", 3L);
        final Order order = new Order("o-1", OrderStatus.SHIPPED, "e-1",
                List.of(new Line("A", 2), new Line("B", 3), new Line("C", 1)), 1_000L, null, 2_000L,
                "still to ship: 2 x A", 1_500L, locked, 0, null, List.of(), List.of(), sold);

        // When
        final OrderView view = OrderView.of(order);

        // Then
        assertEquals("SHIPPED", view.status());
        assertEquals(List.of(new LineView("A", 2), new LineView("B", 3), new LineView("C", 1)), view.lines());
        assertEquals(List.of(new LineView("A", 2)), view.locked());
        assertEquals(List.of(new LineView("B", 3)), view.sold());
        assertEquals("still to ship: 2 x A", view.reason());
    }
}
