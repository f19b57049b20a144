package io.stockline.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.DeductOn;
import io.stockline.schemas.OrderStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    private static WorkloadSpec mixed(final int orders, final long seed) {
        return mixed(orders, seed, Mix.DEFAULT, DeductOn.SHIPMENT);
    }

    static WorkloadSpec mixed(final int orders, final long seed, final String mix, final DeductOn deductOn) {
        return new WorkloadSpec(Workload.MIXED, orders, 0, 1_000, -1, 1.0, 1.1, 5, 2, Mix.parse(mix), deductOn,
                Duration.ofSeconds(5), 50, orders, seed);
    }

    @Test
    void theSameSeedSendsTheSameEvents() {
        // Given two scenarios from one spec
        final Scenario first = Scenario.generate(mixed(2_000, 7), "a");
        final Scenario second = Scenario.generate(mixed(2_000, 7), "b");

        // Then they send the same sequence
        assertArrayEquals(events(first), events(second));
    }

    @Test
    void everyFollowUpComesAfterItsOrderAndARefundAfterItsCapture() {
        // Given a mixed scenario
        final Scenario scenario = Scenario.generate(mixed(3_000, 1), "r");
        final Set<Integer> placed = new HashSet<>();
        final Set<Integer> captured = new HashSet<>();

        // Then each order's events come in the order a shop would send them
        for (int i = 0; i < scenario.eventCount(); i++) {
            final long event = scenario.event(i);
            final int order = Scenario.orderOf(event);
            switch (Scenario.kindOf(event)) {
                case PLACE -> assertTrue(placed.add(order), "placed twice: " + order);
                case CAPTURE -> {
                    assertTrue(placed.contains(order), "captured before placed: " + order);
                    captured.add(order);
                }
                case REFUND, SHIP_LINES, SHIP_REST, RETURN_RESTOCKED, RETURN_DAMAGED ->
                        assertTrue(captured.contains(order), "refunded or shipped before captured: " + order);
                default -> assertTrue(placed.contains(order), "settled before placed: " + order);
            }
        }
        assertEquals(scenario.orderCount(), placed.size());
    }

    @Test
    void eachOrdersFollowUpsAreSentOnceEachInTheirOrderALagApart() {
        // Given a mixed scenario with every intention, deducting on shipment
        final Scenario scenario = Scenario.generate(mixed(3_000, 5), "l");
        final Map<Integer, List<Scenario.Kind>> sent = new HashMap<>();
        final Map<Integer, List<Integer>> at = new HashMap<>();

        // When its sequence is read order by order
        int placed = -1;
        for (int i = 0; i < scenario.eventCount(); i++) {
            final long event = scenario.event(i);
            if (Scenario.kindOf(event) == Scenario.Kind.PLACE) {
                placed = Scenario.orderOf(event);
            } else {
                sent.computeIfAbsent(Scenario.orderOf(event), o -> new ArrayList<>()).add(Scenario.kindOf(event));
                at.computeIfAbsent(Scenario.orderOf(event), o -> new ArrayList<>()).add(placed);
            }
        }

        // Then every order got exactly its follow-ups, in order, the k-th once k * 50 more orders were placed
        for (int order = 0; order < scenario.orderCount(); order++) {
            final List<Scenario.Kind> expected = Arrays.asList(scenario.followUps(order));
            assertEquals(expected, sent.getOrDefault(order, List.of()), "order " + order);
            for (int k = 0; k < expected.size(); k++) {
                assertEquals(Math.min(order + (k + 1) * 50, scenario.orderCount() - 1), at.get(order).get(k),
                        "follow-up " + (k + 1) + " of order " + order);
            }
        }
        assertEquals(scenario.orderCount() + sent.values().stream().mapToInt(List::size).sum(), scenario.eventCount());
    }

    @Test
    void aPartialCancelKeepsSomeUnitsUnlessTheOrderHasOnlyOne() {
        // Given the partial cancels of a mixed scenario
        final Scenario scenario = Scenario.generate(mixed(5_000, 2), "c");
        int amended = 0;
        int whole = 0;
        for (final int order : ordersOf(scenario, Intention.PARTIAL_CANCEL)) {
            final long cancel = eventOf(scenario, order, Scenario.Kind.CANCEL_LINES);
            final long cancelled = named(scenario, cancel);
            final long units = units(scenario, order);

            // Then each cancels at least one unit, and all of them only when there is one: then nothing follows
            assertTrue(cancelled >= 1 && (cancelled < units || units == 1), "order " + order);
            if (units == 1) {
                whole++;
                assertEquals(List.of(Scenario.Kind.CANCEL_LINES), Arrays.asList(scenario.followUps(order)));
                assertEquals(OrderStatus.CANCELLED, scenario.expectedFinal(order, OrderStatus.RESERVED));
                assertEquals(2, scenario.expectedOutcomes(order, OrderStatus.RESERVED));
            } else {
                amended++;
                assertEquals(List.of(Scenario.Kind.CANCEL_LINES, Scenario.Kind.CAPTURE),
                        Arrays.asList(scenario.followUps(order)));
                assertEquals(OrderStatus.AMENDED, scenario.expectedStatus(order, 1));
                assertEquals(OrderStatus.CONFIRMED, scenario.expectedFinal(order, OrderStatus.RESERVED));
            }
        }
        assertTrue(amended > 100 && whole > 10, amended + " amended, " + whole + " cancelled whole");
    }

    @Test
    void aShipmentComesWholeOrInTwoAndEndsShipped() {
        // Given the shipped orders of a mixed scenario
        final Scenario scenario = Scenario.generate(mixed(5_000, 3), "s");
        int inTwo = 0;
        for (final int order : ordersOf(scenario, Intention.SHIP)) {
            final List<Scenario.Kind> followUps = Arrays.asList(scenario.followUps(order));

            // Then a first shipment naming lines ships some units but not all, and the second ships the rest
            if (followUps.contains(Scenario.Kind.SHIP_LINES)) {
                inTwo++;
                assertEquals(List.of(Scenario.Kind.CAPTURE, Scenario.Kind.SHIP_LINES, Scenario.Kind.SHIP_REST),
                        followUps);
                final long shipped = named(scenario, eventOf(scenario, order, Scenario.Kind.SHIP_LINES));
                assertTrue(shipped >= 1 && shipped < units(scenario, order), "order " + order);
            } else {
                assertEquals(List.of(Scenario.Kind.CAPTURE, Scenario.Kind.SHIP_REST), followUps);
            }
            assertEquals(OrderStatus.CONFIRMED, scenario.expectedStatus(order, 1));
            assertEquals(OrderStatus.SHIPPED, scenario.expectedFinal(order, OrderStatus.RESERVED));
        }
        assertTrue(inTwo > 100, inTwo + " shipped in two");
    }

    @Test
    void aPartialRefundReturnsSomeUnitsAndEndsRefundedOnlyWhenAllCameBack() {
        // Given the partial refunds of a mixed scenario, deducting on shipment and on payment
        for (final DeductOn deductOn : DeductOn.values()) {
            final Scenario scenario = Scenario.generate(mixed(5_000, 4, "partial-refund=50,pay=50", deductOn), "p");
            final Map<OrderStatus, Integer> ends = new HashMap<>();
            for (final int order : ordersOf(scenario, Intention.PARTIAL_REFUND)) {
                final List<Scenario.Kind> followUps = Arrays.asList(scenario.followUps(order));
                long returned = 0;
                for (final Scenario.Kind kind : List.of(Scenario.Kind.RETURN_RESTOCKED, Scenario.Kind.RETURN_DAMAGED)) {
                    if (followUps.contains(kind)) {
                        final long units = named(scenario, eventOf(scenario, order, kind));
                        assertTrue(units >= 1, kind + " of order " + order + " names nothing");
                        returned += units;
                    }
                }

                // Then it is captured, shipped first when deducting on shipment, and returns at least a unit
                assertEquals(Scenario.Kind.CAPTURE, followUps.get(0));
                assertEquals(deductOn == DeductOn.SHIPMENT, followUps.get(1) == Scenario.Kind.SHIP_REST);
                assertTrue(returned >= 1 && returned <= units(scenario, order));
                final OrderStatus end = scenario.expectedFinal(order, OrderStatus.RESERVED);
                assertEquals(returned == units(scenario, order) ? OrderStatus.REFUNDED
                        : OrderStatus.PARTIALLY_REFUNDED, end, "order " + order);
                ends.merge(end, 1, Integer::sum);
            }
            assertTrue(ends.getOrDefault(OrderStatus.REFUNDED, 0) > 100
                    && ends.getOrDefault(OrderStatus.PARTIALLY_REFUNDED, 0) > 100, ends.toString());
        }
    }

    @Test
    void eachStepMovesUnitsAsTheLedgerDoes() {
        // Given an order of every kind of step, deducting on payment and on shipment
        final Scenario onPayment = Scenario.generate(mixed(2_000, 6, "partial-cancel=30,partial-refund=40,"
                + "refund=30", DeductOn.PAYMENT), "a");
        final Scenario onShipment = Scenario.generate(mixed(2_000, 6, "ship=50,partial-refund=50",
                DeductOn.SHIPMENT), "b");

        // Then a partial cancel sends its units back to available; a capture takes the rest off hand
        final int amended = amendedOrder(onPayment);
        final Scenario.Step cancel = onPayment.step(eventOf(onPayment, amended, Scenario.Kind.CANCEL_LINES));
        final Scenario.Step capture = onPayment.step(eventOf(onPayment, amended, Scenario.Kind.CAPTURE));
        for (int line = 0; line < onPayment.lineCount(amended); line++) {
            final long cancelled = onPayment.eventQuantity(eventOf(onPayment, amended, Scenario.Kind.CANCEL_LINES),
                    line);
            final long rest = onPayment.lineQuantity(amended, line) - cancelled;
            assertLine(cancel, line, cancelled, -cancelled, 0);
            assertLine(capture, line, 0, -rest, -rest);
            assertEquals(rest, onPayment.lockedWhile(amended, OrderStatus.AMENDED)[line]);
        }
        assertEquals(OrderStatus.AMENDED, cancel.status());

        // ... a return restocked comes back on hand and on sale, a damaged one stays out, deducting on payment
        final int returned = ordersOf(onPayment, Intention.PARTIAL_REFUND).stream()
                .filter(order -> onPayment.followUps(order).length == 3).findFirst().orElseThrow();
        final long restocked = eventOf(onPayment, returned, Scenario.Kind.RETURN_RESTOCKED);
        final long damaged = eventOf(onPayment, returned, Scenario.Kind.RETURN_DAMAGED);
        for (int line = 0; line < onPayment.lineCount(returned); line++) {
            final long units = onPayment.eventQuantity(restocked, line);
            assertLine(onPayment.step(restocked), line, units, 0, units);
            assertLine(onPayment.step(damaged), line, 0, 0, 0);
        }

        // ... and deducting on shipment, a capture moves nothing, a shipment takes units out of locked and off hand
        final int shipped = orderWith(onShipment, Scenario.Kind.SHIP_LINES);
        final long first = eventOf(onShipment, shipped, Scenario.Kind.SHIP_LINES);
        for (int line = 0; line < onShipment.lineCount(shipped); line++) {
            final long units = onShipment.lineQuantity(shipped, line);
            final long firstUnits = onShipment.eventQuantity(first, line);
            assertLine(onShipment.step(eventOf(onShipment, shipped, Scenario.Kind.CAPTURE)), line, 0, 0, 0);
            assertLine(onShipment.step(first), line, 0, -firstUnits, -firstUnits);
            assertLine(onShipment.step(eventOf(onShipment, shipped, Scenario.Kind.SHIP_REST)), line, 0,
                    -(units - firstUnits), -(units - firstUnits));
        }

        // ... and a whole refund of an unshipped order lets its allocated units go back on sale
        final Scenario refunds = Scenario.generate(mixed(500, 7, "refund=100", DeductOn.SHIPMENT), "r");
        final int refunded = ordersOf(refunds, Intention.REFUND).get(0);
        final Scenario.Step refund = refunds.step(eventOf(refunds, refunded, Scenario.Kind.REFUND));
        for (int line = 0; line < refunds.lineCount(refunded); line++) {
            final long units = refunds.lineQuantity(refunded, line);
            assertLine(refund, line, units, -units, 0);
        }
        assertEquals(OrderStatus.REFUNDED, refund.status());
    }

    @Test
    void aMixWithoutTheNewIntentionsSendsWhatItAlwaysSent() {
        // Given the mix every figure before #21 was measured with
        final Scenario scenario = Scenario.generate(mixed(2_000, 7, Mix.BEFORE_21, DeductOn.PAYMENT), "o");

        // Then its events are those the bench sent before partial steps and shipments came in (pinned from c3672d6)
        assertEquals(BEFORE_21_EVENTS, scenario.eventCount());
        assertEquals(BEFORE_21_CHECKSUM, Arrays.hashCode(events(scenario)));
    }

    @Test
    void aStepOnAnotherStreamThanTheOneBeforeAwaitsItsOutcome() {
        // Given every intention, deducting on shipment, and the mix before #21
        final Scenario scenario = Scenario.generate(mixed(3_000, 8), "w");
        final Scenario before = Scenario.generate(mixed(3_000, 8, Mix.BEFORE_21, DeductOn.PAYMENT), "v");

        // Then a shipment awaits its capture, a return its shipment, a capture its partial cancel; nothing else waits
        for (int order = 0; order < scenario.orderCount(); order++) {
            final Scenario.Kind[] followUps = scenario.followUps(order);
            for (int k = 0; k < followUps.length; k++) {
                final boolean waits = k > 0 && followUps[k - 1].stream() != followUps[k].stream();
                assertEquals(waits ? k + 1 : 0, scenario.awaits(Scenario.event(followUps[k], order)),
                        followUps[k] + " of " + Arrays.toString(followUps));
            }
            if (scenario.intention(order) == Intention.SHIP) {
                assertEquals(2, scenario.awaits(Scenario.event(followUps[1], order)));
            }
        }
        for (int i = 0; i < before.eventCount(); i++) {
            if (Scenario.kindOf(before.event(i)) != Scenario.Kind.PLACE) {
                assertEquals(0, before.awaits(before.event(i)));
            }
        }
    }

    @Test
    void shipmentsNeedTheLedgerToDeductOnShipment() {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> mixed(10, 1, "ship=10", DeductOn.PAYMENT));

        assertTrue(refused.getMessage().contains("--deduct-on shipment"), refused.getMessage());
    }

    @Test
    void aFlashSaleIsSingleUnitOrdersForOneSku() {
        // Given a flash sale
        final WorkloadSpec spec = new WorkloadSpec(Workload.FLASH_SALE, 500, 50, 1, -1, 1.0, 1.1, 1, 1,
                Mix.parse(Mix.DEFAULT), DeductOn.PAYMENT, Duration.ofSeconds(5), 0, 500, 3);
        final Scenario scenario = Scenario.generate(spec, "f");

        // Then it is one SKU of 50 units and 500 orders of one unit, nothing else
        assertEquals(1, scenario.skuCount());
        assertEquals(50, scenario.initialStock(0));
        assertEquals(500, scenario.eventCount());
        for (int order = 0; order < 500; order++) {
            assertEquals(1, scenario.lineCount(order));
            assertEquals(1, scenario.lineQuantity(order, 0));
            assertEquals(Intention.HOLD, scenario.intention(order));
        }
    }

    @Test
    void mixedOrdersHaveDistinctSkusAboutThreeLinesAndPopularSkusStockedDeeper() {
        // Given a mixed scenario
        final Scenario scenario = Scenario.generate(mixed(5_000, 11), "m");

        // Then lines name distinct SKUs, average about three, and the most popular SKU has the most stock
        for (int order = 0; order < scenario.orderCount(); order++) {
            final Set<Integer> skus = new HashSet<>();
            for (int line = 0; line < scenario.lineCount(order); line++) {
                assertTrue(skus.add(scenario.lineSku(order, line)));
            }
        }
        final double perOrder = scenario.totalLines() / (double) scenario.orderCount();
        assertTrue(perOrder > 2.8 && perOrder < 3.2, "lines per order " + perOrder);
        assertTrue(scenario.initialStock(0) > scenario.initialStock(500));
    }

    @Test
    void idsRoundTripAndIgnoreOtherRuns() {
        final Scenario scenario = Scenario.generate(mixed(100, 1), "x1");

        assertEquals(42, scenario.orderIndex(scenario.orderId(42)));
        assertEquals(7, scenario.skuIndex(scenario.skuName(7)));
        assertEquals(-1, scenario.orderIndex("ox2-42"));
        assertEquals(-1, scenario.orderIndex(scenario.orderId(42) + "0000"));
    }

    @Test
    void aMixLeavesTheRestToHoldAndMustAddUpToAHundred() {
        assertEquals(Map.of(Intention.PAY, 70, Intention.EXPIRE, 10, Intention.HOLD, 20),
                Mix.parse("pay=70,expire=10").percents());
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("pay=90,fail=20"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("pay=60,hold=10"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("paid=100"));
    }

    @Test
    void aMixNamesIntentionsWithDashesBothWays() {
        final Mix mix = Mix.parse("partial-cancel=5,partial-refund=5,ship=10,pay=70");

        assertEquals(Map.of(Intention.PARTIAL_CANCEL, 5, Intention.PARTIAL_REFUND, 5, Intention.SHIP, 10,
                Intention.PAY, 70, Intention.HOLD, 10), mix.percents());
        assertEquals(mix, Mix.parse(mix.toString()));
        assertTrue(mix.toString().contains("partial-cancel=5"), mix.toString());
        assertEquals(100, Mix.parse(Mix.DEFAULT).percents().values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void zipfFavoursLowRanksByTheSkew() {
        final Zipf zipf = new Zipf(100, 1.1);

        assertEquals(Math.pow(2, 1.1), zipf.probability(0) / zipf.probability(1), 1e-9);
    }

    private static final int BEFORE_21_EVENTS = 3_694;
    private static final int BEFORE_21_CHECKSUM = 1_683_421_987;

    private static void assertLine(final Scenario.Step step, final int line, final long available, final long locked,
                                   final long onHand) {
        assertEquals(List.of(available, locked, onHand),
                List.of(step.available()[line], step.locked()[line], step.onHand()[line]), "line " + line);
    }

    private static List<Integer> ordersOf(final Scenario scenario, final Intention intention) {
        final List<Integer> orders = new ArrayList<>();
        for (int order = 0; order < scenario.orderCount(); order++) {
            if (scenario.intention(order) == intention) {
                orders.add(order);
            }
        }
        return orders;
    }

    private static int amendedOrder(final Scenario scenario) {
        return ordersOf(scenario, Intention.PARTIAL_CANCEL).stream()
                .filter(order -> scenario.followUps(order).length == 2).findFirst().orElseThrow();
    }

    private static int orderWith(final Scenario scenario, final Scenario.Kind kind) {
        for (int order = 0; order < scenario.orderCount(); order++) {
            if (Arrays.asList(scenario.followUps(order)).contains(kind)) {
                return order;
            }
        }
        throw new AssertionError("no order with " + kind);
    }

    private static long eventOf(final Scenario scenario, final int order, final Scenario.Kind kind) {
        assertTrue(Arrays.asList(scenario.followUps(order)).contains(kind), kind + " of order " + order);
        return Scenario.event(kind, order);
    }

    private static long named(final Scenario scenario, final long event) {
        long units = 0;
        for (int line = 0; line < scenario.lineCount(Scenario.orderOf(event)); line++) {
            units += scenario.eventQuantity(event, line);
        }
        return units;
    }

    private static long units(final Scenario scenario, final int order) {
        long units = 0;
        for (int line = 0; line < scenario.lineCount(order); line++) {
            units += scenario.lineQuantity(order, line);
        }
        return units;
    }

    private static long[] events(final Scenario scenario) {
        final long[] events = new long[scenario.eventCount()];
        for (int i = 0; i < events.length; i++) {
            events[i] = scenario.event(i);
        }
        return events;
    }
}
