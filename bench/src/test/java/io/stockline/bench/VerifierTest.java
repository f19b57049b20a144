package io.stockline.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.schemas.OrderStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's checks must catch what they claim to: an engine that oversells, loses orders, or drifts. */
class VerifierTest {

    private static final int UNITS = 10;
    private static final int ORDERS = 30;

    private final Scenario sale = Scenario.generate(new WorkloadSpec(Workload.FLASH_SALE, ORDERS, UNITS, 1, -1, 1.0,
            1.1, 1, 1, Mix.parse(Mix.DEFAULT), Duration.ofSeconds(5), 0, ORDERS, 1), "v");

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
                1.1, 1, 1, Mix.parse(Mix.DEFAULT), Duration.ofSeconds(5), 0, ORDERS, 1), "p");
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
