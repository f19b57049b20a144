package io.stockline.topology;

import static io.stockline.topology.LedgerHarness.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every rule again with one partition: every order and every SKU in one task, each order decided in one step.
 * The one rule that reads differently: the task sees a short line before it locks anything.
 */
class LedgerRulesOnOnePartitionTest extends LedgerRulesTest {

    @Override
    LedgerHarness harness() {
        return LedgerHarness.onOnePartition();
    }

    /** Not a test here: with every SKU in the order's task, nothing is locked on the way (see below). */
    @Override
    void orderWithOneShortLineIsRejectedAndReleasesWhatItLockedOnTheWay() {
    }

    @Test
    void orderWithOneShortLineIsRejectedBeforeAnythingIsLocked() {
        ledger.adjust("a1", "A", 10);
        ledger.adjust("b1", "B", 1);

        ledger.place("o1", line("A", 4), line("B", 2), line("C", 1));

        final OrderOutcome outcome = single(ledger.outcomes());
        assertEquals(OrderStatus.REJECTED, outcome.getStatus());
        assertEquals("insufficient stock for sku B: requested 2, available 1", outcome.getReason());
        assertEquals(List.of(), ledger.rollbacks());
        assertLevel("A", 10, 10, 0);
        assertEquals(1L, ledger.level("A").version(), "A was never locked");
        assertLevel("B", 1, 1, 0);
        assertNull(ledger.level("C"), "a SKU the ledger never had stays unknown");
    }
}
