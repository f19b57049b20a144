package io.stockline.cli.reporting;

import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderCancelled;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.OrderShipped;
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
 *
 * <p>{@link #withReturnsAndShipments} makes a day of the per-line steps, in phases: an order's events of one
 * phase are on one topic, so they are applied in the order they were sent, and a test that lets the ledger
 * finish each phase before the next knows every step met the order in the state it was generated for.
 */
final class TradingScenario {

    /** One record to produce. */
    record Event(String topic, String key, byte[] value) {
    }

    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();
    private static final long HOLD_MILLIS = 3_600_000L;

    private final List<List<Event>> phases = new ArrayList<>(List.of(new ArrayList<>()));
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
            scenario.adjust("init-" + sku, sku, initialStock, null);
        }
        for (int i = 0; i < orders; i++) {
            final String orderId = name + "-order-" + i;
            scenario.orderIds.add(orderId);
            scenario.place(orderId, random);
            final int fate = random.nextInt(100);
            if (fate < 55) {
                scenario.pay(orderId + "-capture", orderId, PaymentOutcome.CAPTURED);
                if (random.nextInt(100) < 15) {
                    scenario.refund(orderId + "-refund", orderId, null, true);
                }
            } else if (fate < 70) {
                scenario.pay(orderId + "-fail", orderId, PaymentOutcome.FAILED);
            } else if (fate < 80) {
                scenario.cancel(orderId + "-cancel", orderId, null);
            }
            if (i % 50 == 49) {
                final String sku = scenario.skus.get(random.nextInt(skuCount));
                scenario.adjust(name + "-restock-" + i, sku, 20, null);
            }
        }
        return scenario;
    }

    /**
     * A day for a ledger that deducts stock at shipment, in six phases: stock (a low-stock threshold on every
     * third SKU) and the orders; cancellations, of one unit or of the whole order; payments captured or failed;
     * shipments of one unit or of everything; returns of one unit restocked or damaged, or refunds of what is
     * left; the rest of the part-shipped orders' shipments, and restocks. Steps of orders the ledger rejected, or
     * that a step before left in another state, are refused as dead letters, as they would be in a shop.
     */
    static TradingScenario withReturnsAndShipments(final String name, final int orders, final int skuCount,
                                                   final long initialStock, final long seed) {
        final TradingScenario scenario = new TradingScenario();
        final Random random = new Random(seed);
        for (int i = 0; i < skuCount; i++) {
            final String sku = name + "-sku-" + i;
            scenario.skus.add(sku);
            scenario.adjust("init-" + sku, sku, initialStock, i % 3 == 0 ? 5L : null);
        }
        final Map<String, Map<String, Long>> linesOf = new LinkedHashMap<>();
        for (int i = 0; i < orders; i++) {
            final String orderId = name + "-order-" + i;
            scenario.orderIds.add(orderId);
            linesOf.put(orderId, scenario.place(orderId, random));
        }
        scenario.nextPhase();
        final List<String> open = new ArrayList<>();
        for (final String orderId : scenario.orderIds) {
            final int fate = random.nextInt(100);
            if (fate < 25) {
                scenario.cancel(orderId + "-cancel-line", orderId, oneUnit(linesOf.get(orderId)));
            } else if (fate < 33) {
                scenario.cancel(orderId + "-cancel", orderId, null);
                continue;
            }
            open.add(orderId);
        }
        scenario.nextPhase();
        final List<String> paid = new ArrayList<>();
        for (final String orderId : open) {
            final int fate = random.nextInt(100);
            if (fate < 70) {
                scenario.pay(orderId + "-capture", orderId, PaymentOutcome.CAPTURED);
                paid.add(orderId);
            } else if (fate < 80) {
                scenario.pay(orderId + "-fail", orderId, PaymentOutcome.FAILED);
            }
        }
        scenario.nextPhase();
        final List<String> partShipped = new ArrayList<>();
        for (final String orderId : paid) {
            final int fate = random.nextInt(100);
            if (fate < 35) {
                scenario.ship(orderId + "-ship-1", orderId, oneUnit(linesOf.get(orderId)));
                partShipped.add(orderId);
            } else if (fate < 75) {
                scenario.ship(orderId + "-ship", orderId, null);
            }
        }
        scenario.nextPhase();
        final List<String> refunded = new ArrayList<>();
        for (final String orderId : paid) {
            final int fate = random.nextInt(100);
            if (fate < 25) {
                scenario.refund(orderId + "-return", orderId, oneUnit(linesOf.get(orderId)), true);
            } else if (fate < 40) {
                scenario.refund(orderId + "-damaged", orderId, oneUnit(linesOf.get(orderId)), false);
            } else if (fate < 50) {
                scenario.refund(orderId + "-refund", orderId, null, random.nextBoolean());
                refunded.add(orderId);
            }
        }
        scenario.nextPhase();
        for (final String orderId : partShipped) {
            if (!refunded.contains(orderId)) {
                scenario.ship(orderId + "-ship-2", orderId, null);
            }
        }
        for (int i = 0; i < skuCount; i += 4) {
            scenario.adjust(name + "-restock-" + i, scenario.skus.get(i), 10, null);
        }
        return scenario;
    }

    /** The events of every phase, in order. */
    List<Event> events() {
        return phases.stream().flatMap(List::stream).toList();
    }

    /** The events in phases: a test that wants each phase applied before the next waits for the ledger between. */
    List<List<Event>> phases() {
        return phases;
    }

    List<String> skus() {
        return skus;
    }

    List<String> orderIds() {
        return orderIds;
    }

    /** Places an order of 1 to 3 lines and returns them, by SKU. */
    private Map<String, Long> place(final String orderId, final Random random) {
        final Map<String, Long> lines = new LinkedHashMap<>();
        final int lineCount = 1 + random.nextInt(3);
        for (int l = 0; l < lineCount; l++) {
            lines.merge(skus.get(random.nextInt(skus.size())), 1L + random.nextInt(3), Long::sum);
        }
        add(EventTopic.ORDERS, orderId, OrderPlaced.newBuilder().setEventId(orderId + "-placed").setOrderId(orderId)
                .setLines(orderLines(lines)).setPlacedAt(Instant.now()).setHoldMillis(HOLD_MILLIS).build());
        return lines;
    }

    private void pay(final String paymentId, final String orderId, final PaymentOutcome outcome) {
        add(EventTopic.PAYMENTS, orderId, new PaymentEvent(paymentId, orderId, outcome, Instant.now(), null, true));
    }

    /** A refund of {@code lines}, or of everything the order has left when null. */
    private void refund(final String paymentId, final String orderId, final Map<String, Long> lines,
                        final boolean restock) {
        add(EventTopic.PAYMENTS, orderId, new PaymentEvent(paymentId, orderId, PaymentOutcome.REFUNDED,
                Instant.now(), lines == null ? null : orderLines(lines), restock));
    }

    /** A cancellation of {@code lines}, or of the whole order when null. */
    private void cancel(final String cancelId, final String orderId, final Map<String, Long> lines) {
        add(EventTopic.CANCELLATIONS, orderId, new OrderCancelled(cancelId, orderId, "customer asked", Instant.now(),
                lines == null ? null : orderLines(lines)));
    }

    /** A shipment of {@code lines}, or of everything the order has still to ship when null. */
    private void ship(final String shipmentId, final String orderId, final Map<String, Long> lines) {
        add(EventTopic.SHIPMENTS, orderId, new OrderShipped(shipmentId, orderId,
                lines == null ? null : orderLines(lines), Instant.now()));
    }

    private void adjust(final String adjustmentId, final String sku, final long delta, final Long lowStockThreshold) {
        add(EventTopic.STOCK_ADJUSTMENTS, sku, new StockAdjusted(adjustmentId, sku, delta, "delivery",
                Instant.now(), lowStockThreshold, null, null, null, null, null, null));
    }

    private void nextPhase() {
        phases.add(new ArrayList<>());
    }

    /** One unit of the order's first SKU. */
    private static Map<String, Long> oneUnit(final Map<String, Long> lines) {
        return Map.of(lines.keySet().iterator().next(), 1L);
    }

    private static List<OrderLine> orderLines(final Map<String, Long> lines) {
        return lines.entrySet().stream().map(e -> new OrderLine(e.getKey(), e.getValue(), null, null)).toList();
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> void add(final EventTopic topic, final String key, final T event) {
        final byte[] value = SERDES.serde((Class<T>) event.getClass()).serializer().serialize(topic.topicName(), event);
        phases.get(phases.size() - 1).add(new Event(topic.topicName(), key, value));
    }
}
