package io.stockline.cli.reporting;

import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderCancelled;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;

/**
 * A generated trading day as the shops would send it: stock for every SKU, then orders of 1 to 3 lines,
 * most of them paid (some of those refunded), some failed, some cancelled, some left reserved, with
 * restocks along the way. More is ordered than there is, so some orders are rejected.
 */
final class TradingScenario {

    /** One record to produce. */
    record Event(String topic, String key, byte[] value) {
    }

    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();
    private static final long HOLD_MILLIS = 3_600_000L;

    private final List<Event> events = new ArrayList<>();
    private final List<String> skus = new ArrayList<>();
    private final List<String> orderIds = new ArrayList<>();

    private TradingScenario() {
    }

    /**
     * @param name  prefixes every id, so two scenarios never share one
     * @param orders how many orders; the events come to a little under twice as many
     */
    static TradingScenario generate(final String name, final int orders, final int skuCount,
                                    final long initialStock, final long seed) {
        final TradingScenario scenario = new TradingScenario();
        final Random random = new Random(seed);
        for (int i = 0; i < skuCount; i++) {
            final String sku = name + "-sku-" + i;
            scenario.skus.add(sku);
            scenario.adjust("init-" + sku, sku, initialStock);
        }
        for (int i = 0; i < orders; i++) {
            final String orderId = name + "-order-" + i;
            scenario.orderIds.add(orderId);
            scenario.place(orderId, random);
            final int fate = random.nextInt(100);
            if (fate < 55) {
                scenario.pay(orderId + "-capture", orderId, PaymentOutcome.CAPTURED);
                if (random.nextInt(100) < 15) {
                    scenario.pay(orderId + "-refund", orderId, PaymentOutcome.REFUNDED);
                }
            } else if (fate < 70) {
                scenario.pay(orderId + "-fail", orderId, PaymentOutcome.FAILED);
            } else if (fate < 80) {
                scenario.cancel(orderId + "-cancel", orderId);
            }
            if (i % 50 == 49) {
                final String sku = scenario.skus.get(random.nextInt(skuCount));
                scenario.adjust(name + "-restock-" + i, sku, 20);
            }
        }
        return scenario;
    }

    List<Event> events() {
        return events;
    }

    List<String> skus() {
        return skus;
    }

    List<String> orderIds() {
        return orderIds;
    }

    private void place(final String orderId, final Random random) {
        final Map<String, Long> lines = new LinkedHashMap<>();
        final int lineCount = 1 + random.nextInt(3);
        for (int l = 0; l < lineCount; l++) {
            lines.merge(skus.get(random.nextInt(skus.size())), 1L + random.nextInt(3), Long::sum);
        }
        add(EventTopic.ORDERS, orderId, OrderPlaced.newBuilder().setEventId(orderId + "-placed").setOrderId(orderId)
                .setLines(lines.entrySet().stream().map(e -> new OrderLine(e.getKey(), e.getValue())).toList())
                .setPlacedAt(Instant.now()).setHoldMillis(HOLD_MILLIS).build());
    }

    private void pay(final String paymentId, final String orderId, final PaymentOutcome outcome) {
        add(EventTopic.PAYMENTS, orderId, new PaymentEvent(paymentId, orderId, outcome, Instant.now(), null, true));
    }

    private void cancel(final String cancelId, final String orderId) {
        add(EventTopic.CANCELLATIONS, orderId,
                new OrderCancelled(cancelId, orderId, "customer asked", Instant.now(), null));
    }

    private void adjust(final String adjustmentId, final String sku, final long delta) {
        add(EventTopic.STOCK_ADJUSTMENTS, sku, new StockAdjusted(adjustmentId, sku, delta, "delivery",
                Instant.now(), null));
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> void add(final EventTopic topic, final String key, final T event) {
        final byte[] value = SERDES.serde((Class<T>) event.getClass()).serializer().serialize(topic.topicName(), event);
        events.add(new Event(topic.topicName(), key, value));
    }
}
