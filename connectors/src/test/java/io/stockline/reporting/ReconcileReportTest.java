package io.stockline.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcileReportTest {

    @Test
    void agreementIsOneSummaryLine() {
        final ReconcileReport report = new ReconcileReport(3, List.of());

        assertTrue(report.agrees());
        assertEquals("checked 3 SKUs: MySQL agrees with the ledger, and every SKU's invariants and movements hold\n",
                report.render());
    }

    @Test
    void differencesAreAnAlignedTableThenTheirCount() {
        final ReconcileReport report = new ReconcileReport(20, List.of(
                new Difference("MUG-BLUE", "available", "15", "8"),
                new Difference("TEE-M", "available + locked = on_hand", "12", "5")));

        assertFalse(report.agrees());
        assertEquals("""
                SKU       CHECK                         MYSQL  EXPECTED
                MUG-BLUE  available                     15     8
                TEE-M     available + locked = on_hand  12     5
                checked 20 SKUs: 2 differences
                """, report.render());
    }
}
