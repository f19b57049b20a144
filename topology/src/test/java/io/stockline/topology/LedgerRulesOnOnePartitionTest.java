package io.stockline.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
        placeOrderShortOnBIsRejected();

        assertEquals(List.of(), ledger.rollbacks());
        assertLevel("A", 10, 10, 0);
        assertEquals(1L, ledger.level("A").version(), "A was never locked");
        assertLevel("B", 1, 1, 0);
        assertNull(ledger.level("C"), "a SKU the ledger never had stays unknown");
    }
}
