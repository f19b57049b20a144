package io.stockline.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.DeductOn;
import io.stockline.schemas.OrderStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's checks must catch what they claim to: an engine that oversells, loses orders, or drifts. */
class VerifierTest {

    private static final int UNITS = 10;
    private static final int ORDERS = 30;

    private final Scenario sale = Scenario.generate(new WorkloadSpec(Workload.FLASH_SALE, ORDERS, UNITS, 1, -1, 1.0,
            1.1, 1, 1, Mix.parse(Mix.DEFAULT), DeductOn.PAYMENT, Duration.ofSeconds(5), 0, ORDERS, 1), "v");

    @Test
    void anHonestFlashSalePassesEveryCheck() {
        // Given an engine that reserved the first ten orders and rejected the rest, with matching levels
        final OutcomeLog log = decide(UNITS);

        // When checked
        final List<Check> checks = Verifier.check(sale, log, levels(UNITS, 0, UNITS));

        // Then every check passes
        assertTrue(checks.stream().allMatch(Check::passed), checks.toString());
    }

    @Test
    void reservingOneUnitTooManyFailsTheOversellCheck() {
        // Given an engine that reserved eleven of ten units, and says its levels are fine
        final OutcomeLog log = decide(UNITS + 1);

        // When checked
        final List<Check> checks = Verifier.check(sale, log, levels(UNITS, 0, UNITS));

        // Then the oversell check fails
        assertFalse(passed(checks, "no SKU oversold"));
        assertFalse(passed(checks, "exactly min(units, orders)"));
    }

    @Test
    void levelsThatDoNotAddUpToTheOutcomesFail() {
        // Given honest outcomes but levels that lost a unit
        final OutcomeLog log = decide(UNITS);

        // When checked
        final List<Check> checks = Verifier.check(sale, log, levels(UNITS, 1, UNITS - 1));

        // Then the reference check fails
        assertFalse(passed(checks, "levels equal the reference"));
    }

    @Test
    void placesThatDoNotAddUpToTheTotalsFailThePlacesCheck() {
        // Given honest outcomes and totals, but places that hold one unit fewer on hand and available than the totals
        final OutcomeLog log = decide(UNITS);
        final Levels honest = levels(UNITS, 0, UNITS);
        honest.putPlaces(0, UNITS, 0, UNITS, 6);
        final Levels lost = levels(UNITS, 0, UNITS);
        lost.putPlaces(0, UNITS - 1, -1, UNITS, 6);

        // When checked
        final List<Check> fine = Verifier.check(sale, log, honest);
        final List<Check> broken = Verifier.check(sale, log, lost);

        // Then the places check passes for the first and fails for the second, naming the SKU
        final String name = "every SKU's totals are the sums over its places";
        assertTrue(fine.stream().anyMatch(c -> c.name().equals(name) && c.passed()), fine.toString());
        final Check failed = broken.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        assertFalse(failed.passed());
        assertTrue(failed.detail().contains("sku #0 onHand/available/locked 10/0/10, over its places 9/-1/10"),
                failed.detail());
        // and levels without places have no such check
        assertTrue(Verifier.check(sale, log, levels(UNITS, 0, UNITS)).stream().noneMatch(c -> c.name().equals(name)));
    }

    @Test
    void anOrderWithoutOutcomeFailsTheDecisionCheck() {
        // Given an engine that never answered the last order
        final OutcomeLog log = new OutcomeLog(sale, 0);
        for (int order = 0; order < ORDERS - 1; order++) {
            log.record(order, order < UNITS ? OrderStatus.RESERVED : OrderStatus.REJECTED, false, 1);
        }

        // When checked
        final List<Check> checks = Verifier.check(sale, log, levels(UNITS, 0, UNITS));

        // Then the decision check fails
        assertFalse(passed(checks, "every order decided"));
    }

    @Test
    void aSecondDecisionForOneOrderFailsTheOutcomeCheck() {
        // Given an engine that told one buyer twice
        final OutcomeLog log = decide(UNITS);
        log.record(ORDERS - 1, OrderStatus.REJECTED, false, 2);

        // When checked
        final List<Check> checks = Verifier.check(sale, log, levels(UNITS, 0, UNITS));

        // Then the exactly-once check fails
        assertFalse(passed(checks, "every order has exactly one final outcome"));
    }

    @Test
    void turningAnOrderAwayWhileStockSufficesFails() {
        // Given a sale with enough units for everyone, and an engine that rejected one order
        final Scenario plenty = Scenario.generate(new WorkloadSpec(Workload.FLASH_SALE, ORDERS, ORDERS, 1, -1, 1.0,
                1.1, 1, 1, Mix.parse(Mix.DEFAULT), DeductOn.PAYMENT, Duration.ofSeconds(5), 0, ORDERS, 1), "p");
        final OutcomeLog log = new OutcomeLog(plenty, 0);
        for (int order = 0; order < ORDERS; order++) {
            log.record(order, order == 0 ? OrderStatus.REJECTED : OrderStatus.RESERVED, false, 1);
        }
        final Levels levels = new Levels(1);
        levels.put(0, ORDERS, 1, ORDERS - 1);

        // When checked
        final List<Check> checks = Verifier.check(plenty, log, levels);

        // Then the needless-rejection check fails
        assertFalse(passed(checks, "no order rejected while every SKU"));
    }

    @Test
    void anHonestRunOfPartialStepsAndShipmentsPassesEveryCheck() {
        for (final DeductOn deductOn : DeductOn.values()) {
            // Given every order of every per-line kind reserved and taken through its steps, and levels that follow
            final Scenario scenario = plentiful(deductOn);
            final OutcomeLog log = honest(scenario);

            // When checked
            final List<Check> checks = Verifier.check(scenario, log, finalLevels(scenario, false, false));

            // Then every check passes, and the reference is the levels worked out from the orders' final states
            assertTrue(checks.stream().allMatch(Check::passed), deductOn + ": " + checks);
            assertTrue(Verifier.mismatches(Verifier.reference(scenario, log), finalLevels(scenario, false, false))
                    .isEmpty());
        }
    }

    @Test
    void aCaptureThatAlsoTookThePartlyCancelledUnitsFailsTheLevelCheck() {
        // Given honest outcomes, but an engine that took a partly cancelled order's cancelled units off hand too
        final Scenario scenario = plentiful(DeductOn.PAYMENT);
        final OutcomeLog log = honest(scenario);

        // When checked
        final List<Check> checks = Verifier.check(scenario, log, finalLevels(scenario, true, false));

        // Then the reference check fails
        assertFalse(passed(checks, "levels equal the reference"));
    }

    @Test
    void aDamagedReturnPutBackOnSaleFailsTheLevelCheck() {
        // Given honest outcomes, but an engine that restocked the units returned damaged
        final Scenario scenario = plentiful(DeductOn.SHIPMENT);
        final OutcomeLog log = honest(scenario);

        // When checked
        final List<Check> checks = Verifier.check(scenario, log, finalLevels(scenario, false, true));

        // Then the reference check fails
        assertFalse(passed(checks, "levels equal the reference"));
    }

    @Test
    void anOutcomeOutOfStepFailsTheOutcomeCheck() {
        // Given a shipped order whose engine said SHIPPED before CONFIRMED, and a refund ending in the wrong status
        final Scenario scenario = plentiful(DeductOn.SHIPMENT);
        final OutcomeLog log = new OutcomeLog(scenario, 0);
        final int shipped = firstOf(scenario, Intention.SHIP);
        final int refunded = firstOf(scenario, Intention.PARTIAL_REFUND);
        for (int order = 0; order < scenario.orderCount(); order++) {
            final int outcomes = scenario.expectedOutcomes(order, OrderStatus.RESERVED);
            for (int step = 0; step < outcomes; step++) {
                final OrderStatus status = scenario.expectedStatus(order, step);
                log.record(order, order == shipped && step == 1 ? OrderStatus.SHIPPED
                        : order == refunded && step == outcomes - 1 ? wrongEnd(status) : status, false, 1);
            }
        }

        // When checked
        final List<Check> checks = Verifier.check(scenario, log, finalLevels(scenario, false, false));

        // Then the outcome check fails, naming both orders
        assertFalse(passed(checks, "every order has exactly one final outcome"));
        final String detail = checks.stream().filter(c -> !c.passed()).map(Check::detail).findFirst().orElseThrow();
        assertTrue(detail.contains(scenario.orderId(shipped) + " (SHIP): SHIPPED after RESERVED, expected CONFIRMED")
                && detail.contains(scenario.orderId(refunded)), detail);
    }

    private static OrderStatus wrongEnd(final OrderStatus status) {
        return status == OrderStatus.REFUNDED ? OrderStatus.PARTIALLY_REFUNDED : OrderStatus.REFUNDED;
    }

    /** A mixed run of the per-line kinds (and shipments when deducting on shipment), with stock for every order. */
    private static Scenario plentiful(final DeductOn deductOn) {
        final String mix = deductOn == DeductOn.SHIPMENT ? "partial-cancel=25,partial-refund=25,ship=25,pay=25"
                : "partial-cancel=30,partial-refund=40,refund=10,pay=20";
        return Scenario.generate(new WorkloadSpec(Workload.MIXED, 2_000, 0, 50, 1_000_000, 1.0, 1.1, 5, 3,
                Mix.parse(mix), deductOn, Duration.ofSeconds(5), 10, 2_000, 9), "m");
    }

    /** Every order reserved, then each of its outcomes as the scenario expects them. */
    private static OutcomeLog honest(final Scenario scenario) {
        final OutcomeLog log = new OutcomeLog(scenario, 0);
        for (int order = 0; order < scenario.orderCount(); order++) {
            for (int step = 0; step < scenario.expectedOutcomes(order, OrderStatus.RESERVED); step++) {
                log.record(order, scenario.expectedStatus(order, step), false, 1);
            }
        }
        return log;
    }

    private static int firstOf(final Scenario scenario, final Intention intention) {
        for (int order = 0; order < scenario.orderCount(); order++) {
            if (scenario.intention(order) == intention) {
                return order;
            }
        }
        throw new AssertionError("no " + intention);
    }

    /**
     * The levels once every order has taken all its steps, worked out from what each order keeps in the end rather
     * than step by step: paid units off hand (deducting on payment) or still locked (on shipment), shipped units
     * off hand, returned units back unless damaged, partly cancelled units back.
     *
     * @param takeCancelled as a wrong engine would: a partly cancelled order's cancelled units taken off hand too
     * @param restockDamaged as a wrong engine would: damaged returns put back on sale
     */
    private static Levels finalLevels(final Scenario scenario, final boolean takeCancelled,
                                      final boolean restockDamaged) {
        final boolean onPayment = scenario.spec().deductOn() == DeductOn.PAYMENT;
        final long[] offHand = new long[scenario.skuCount()];
        final long[] locked = new long[scenario.skuCount()];
        for (int order = 0; order < scenario.orderCount(); order++) {
            final List<Scenario.Kind> steps = List.of(scenario.followUps(order));
            for (int line = 0; line < scenario.lineCount(order); line++) {
                final int sku = scenario.lineSku(order, line);
                final long units = scenario.lineQuantity(order, line);
                switch (scenario.intention(order)) {
                    case PAY -> (onPayment ? offHand : locked)[sku] += units;
                    case SHIP -> offHand[sku] += units;
                    case PARTIAL_CANCEL -> {
                        if (steps.contains(Scenario.Kind.CAPTURE)) {
                            final long cancelled = quantity(scenario, order, Scenario.Kind.CANCEL_LINES, line);
                            (onPayment ? offHand : locked)[sku] += units - (takeCancelled ? 0 : cancelled);
                        }
                    }
                    case PARTIAL_REFUND -> offHand[sku] += units
                            - quantity(scenario, order, Scenario.Kind.RETURN_RESTOCKED, line)
                            - (restockDamaged ? quantity(scenario, order, Scenario.Kind.RETURN_DAMAGED, line) : 0);
                    default -> {
                    }
                }
            }
        }
        final Levels levels = new Levels(scenario.skuCount());
        for (int sku = 0; sku < scenario.skuCount(); sku++) {
            final long onHand = scenario.initialStock(sku) - offHand[sku];
            levels.put(sku, onHand, onHand - locked[sku], locked[sku]);
        }
        return levels;
    }

    /** The units of the line that the order's event of this kind names; 0 when the order sends no such event. */
    private static long quantity(final Scenario scenario, final int order, final Scenario.Kind kind, final int line) {
        return List.of(scenario.followUps(order)).contains(kind)
                ? scenario.eventQuantity(Scenario.event(kind, order), line) : 0;
    }

    private OutcomeLog decide(final int reserved) {
        final OutcomeLog log = new OutcomeLog(sale, 0);
        for (int order = 0; order < ORDERS; order++) {
            log.record(order, order < reserved ? OrderStatus.RESERVED : OrderStatus.REJECTED, false, 1);
        }
        return log;
    }

    private static Levels levels(final long onHand, final long available, final long locked) {
        final Levels levels = new Levels(1);
        levels.put(0, onHand, available, locked);
        return levels;
    }

    private static boolean passed(final List<Check> checks, final String namePrefix) {
        return checks.stream().filter(c -> c.name().startsWith(namePrefix)).allMatch(Check::passed);
    }
}
