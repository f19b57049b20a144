package io.stockline.topology;

import static io.stockline.topology.LedgerHarness.line;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stockline.schemas.EventTopic;
import io.stockline.schemas.PaymentOutcome;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LedgerMetricsTest {

    @Test
    void countsOutcomesByStatusRollbacksByCauseAndDeadLettersByCode() {
        try (LedgerHarness ledger = new LedgerHarness()) {
            ledger.adjust("a1", "A", 3);
            ledger.place("o1", line("A", 2));
            ledger.place("o2", line("A", 2));
            ledger.pay("p1", "o1", PaymentOutcome.FAILED);
            ledger.pay("p2", "o1", PaymentOutcome.CAPTURED);
            ledger.pipeRaw(EventTopic.ORDERS, "x".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});

            assertEquals(1, ledger.counterTotal(LedgerMetrics.OUTCOMES, "status", "RESERVED"));
            assertEquals(1, ledger.counterTotal(LedgerMetrics.OUTCOMES, "status", "REJECTED"));
            assertEquals(1, ledger.counterTotal(LedgerMetrics.OUTCOMES, "status", "CANCELLED"));
            assertEquals(1, ledger.counterTotal(LedgerMetrics.ROLLBACKS, "cause", "PAYMENT_FAILED"));
            assertEquals(1, ledger.counterTotal(LedgerMetrics.DEAD_LETTERS, "code", "LATE_PAYMENT"));
            assertEquals(1, ledger.counterTotal(LedgerMetrics.DEAD_LETTERS, "code", "MALFORMED_RECORD"));
        }
    }

    @Test
    void countsStockAlertsByKind() {
        try (LedgerHarness ledger = new LedgerHarness()) {
            ledger.adjust("a1", "A", 3, 2);
            ledger.place("o1", line("A", 1));
            ledger.place("o2", line("A", 2));

            assertEquals(1, ledger.counterTotal(LedgerMetrics.STOCK_ALERTS, "kind", "BACK_IN_STOCK"));
            assertEquals(1, ledger.counterTotal(LedgerMetrics.STOCK_ALERTS, "kind", "LOW_STOCK"));
            assertEquals(1, ledger.counterTotal(LedgerMetrics.STOCK_ALERTS, "kind", "SOLD_OUT"));
        }
    }
}
