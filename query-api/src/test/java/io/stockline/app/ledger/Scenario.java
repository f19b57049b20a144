package io.stockline.app.ledger;

import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.StockAdjusted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A generated run: stock for some SKUs, then orders of 1-3 lines, most followed by a captured or failed
 * payment. More is ordered than there is, so some orders are rejected and the race for stock is real.
 */
final class Scenario {

    /** One order and the payment that follows it, if any. */
    record PlannedOrder(String orderId, OrderPlaced event, PaymentEvent payment) {
        List<OrderLine> lines() {
            return event.getLines();
        }
    }

    private final String name;
    private final List<String> skus = new ArrayList<>();
    private final long initialStock;
    private final List<PlannedOrder> orders = new ArrayList<>();

    Scenario(final String name, final int orderCount, final int skuCount, final long initialStock, final long seed) {
        this.name = name;
        this.initialStock = initialStock;
        for (int i = 0; i < skuCount; i++) {
            skus.add("sku-" + i);
        }
        final Random random = new Random(seed);
        final Instant now = Instant.now();
        for (int i = 0; i < orderCount; i++) {
            final String orderId = name + "-order-" + i;
            final Map<String, Long> lines = new LinkedHashMap<>();
            final int lineCount = 1 + random.nextInt(3);
            for (int l = 0; l < lineCount; l++) {
                lines.merge(skus.get(random.nextInt(skuCount)), 1L + random.nextInt(3), Long::sum);
            }
            final OrderPlaced event = OrderPlaced.newBuilder().setEventId(orderId + "-e").setOrderId(orderId)
                    .setLines(lines.entrySet().stream()
                            .map(e -> new OrderLine(e.getKey(), e.getValue(), null, null)).toList())
                    .setPlacedAt(now).setHoldMillis(3_600_000L).build();
            final int dice = random.nextInt(10);
            final PaymentEvent payment = dice < 6 ? payment(orderId, PaymentOutcome.CAPTURED, now)
                    : dice < 8 ? payment(orderId, PaymentOutcome.FAILED, now) : null;
            orders.add(new PlannedOrder(orderId, event, payment));
        }
    }

    private static PaymentEvent payment(final String orderId, final PaymentOutcome outcome, final Instant at) {
        return new PaymentEvent(orderId + "-pay", orderId, outcome, at, null, true);
    }

    String name() {
        return name;
    }

    List<String> skus() {
        return skus;
    }

    long initialStock() {
        return initialStock;
    }

    List<PlannedOrder> orders() {
        return orders;
    }

    List<StockAdjusted> adjustments() {
        return skus.stream().map(sku -> new StockAdjusted("initial-" + sku, sku, initialStock, "initial count",
                Instant.now(), null, null, null, null, null, null, null)).toList();
    }

    /** Which statuses an order must go through, once we know whether it was reserved or rejected. */
    List<OrderStatus> expectedStatuses(final PlannedOrder order, final OrderStatus first) {
        if (first != OrderStatus.RESERVED || order.payment() == null) {
            return List.of(first);
        }
        return List.of(OrderStatus.RESERVED, order.payment().getOutcome() == PaymentOutcome.CAPTURED
                ? OrderStatus.CONFIRMED : OrderStatus.CANCELLED);
    }

    boolean isComplete(final PlannedOrder order, final List<OrderStatus> seen) {
        return seen != null && seen.size() >= expectedStatuses(order, seen.get(0)).size();
    }
}
