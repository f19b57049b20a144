package io.stockline.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stockline.app.query.OrderView.LineView;
import io.stockline.ledger.Allocation;
import io.stockline.ledger.Line;
import io.stockline.ledger.Order;
import io.stockline.ledger.OrderStatus;
import io.stockline.ledger.Place;
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
        assertEquals(List.of(new LineView("A", 2, null, null), new LineView("B", 3, null, null),
                new LineView("C", 1, null, null)), view.lines());
        assertEquals(List.of(new LineView("A", 2, null, null)), view.locked());
        assertEquals(List.of(new LineView("B", 3, null, null)), view.sold());
        assertEquals("still to ship: 2 x A", view.reason());
    }

    @Test
    void showsWhereTheUnitsAreWhenTheyAreAtSeveralPlaces() {
        // Given an order of 5 A pinned to north, 3 of them sold from batch b1, the last 2 still locked at north, one
        // in b1 and one outside any batch
        final Place b1 = new Place("north", "b1", 9_000L);
        final Order order = new Order("o-1", OrderStatus.SHIPPED, "e-1", List.of(new Line("A", 5, "north", null)),
                1_000L, null, 2_000L, "still to ship: 2 x A", 1_500L, Map.of("A", 2L), 0, null, List.of(),
                List.of(), Map.of("A", 3L), Map.of("A", List.of(new Allocation(b1, 4),
                        new Allocation(Place.at("north"), 1))));

        // When
        final OrderView view = OrderView.of(order);

        // Then the line shows its pin, and locked and sold a line per place, sold first in the allocation's order
        assertEquals(List.of(new LineView("A", 5, "north", null)), view.lines());
        assertEquals(List.of(new LineView("A", 3, "north", "b1")), view.sold());
        assertEquals(List.of(new LineView("A", 1, "north", "b1"), new LineView("A", 1, "north", null)),
                view.locked());
    }
}
