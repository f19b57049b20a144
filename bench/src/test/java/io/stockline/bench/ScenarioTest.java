package io.stockline.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    private static WorkloadSpec mixed(final int orders, final long seed) {
        return new WorkloadSpec(Workload.MIXED, orders, 0, 1_000, -1, 1.0, 1.1, 5, 2, Mix.parse(Mix.DEFAULT),
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
                case REFUND -> assertTrue(captured.contains(order), "refunded before captured: " + order);
                default -> assertTrue(placed.contains(order), "settled before placed: " + order);
            }
        }
        assertEquals(scenario.orderCount(), placed.size());
    }

    @Test
    void aFlashSaleIsSingleUnitOrdersForOneSku() {
        // Given a flash sale
        final WorkloadSpec spec = new WorkloadSpec(Workload.FLASH_SALE, 500, 50, 1, -1, 1.0, 1.1, 1, 1,
                Mix.parse(Mix.DEFAULT), Duration.ofSeconds(5), 0, 500, 3);
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
    void zipfFavoursLowRanksByTheSkew() {
        final Zipf zipf = new Zipf(100, 1.1);

        assertEquals(Math.pow(2, 1.1), zipf.probability(0) / zipf.probability(1), 1e-9);
    }

    private static long[] events(final Scenario scenario) {
        final long[] events = new long[scenario.eventCount()];
        for (int i = 0; i < events.length; i++) {
            events[i] = scenario.event(i);
        }
        return events;
    }
}
