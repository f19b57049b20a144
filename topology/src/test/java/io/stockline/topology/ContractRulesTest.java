package io.stockline.topology;

import static io.stockline.topology.LedgerHarness.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.stockline.ledger.Line;
import io.stockline.ledger.OrderCommand;
import io.stockline.ledger.OrderCommand.PaymentResult;
import io.stockline.ledger.Origin;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderCancelled;
import io.stockline.schemas.OrderShipped;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.topology.ContractRules.Admission;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the lines of a cancellation, a refund and a shipment become, and the reason a bad one is refused. */
class ContractRulesTest {

    private static final Instant AT = LedgerHarness.START;
    private static final Origin ORIGIN = new Origin(EventTopic.SHIPMENTS.topicName(), 0, 0L, "o-1", new byte[0]);

    @Test
    void aCancellationWithoutLinesCancelsTheWholeOrder() {
        final OrderCommand.CancelOrder cancel = accepted(ContractRules.cancellation("o-1",
                new OrderCancelled("c-1", "o-1", "changed", AT, null), ORIGIN));

        assertEquals(new OrderCommand.CancelOrder("c-1", "o-1", "changed", AT.toEpochMilli(), ORIGIN, null), cancel);
    }

    @Test
    void aCancellationsLinesOfOneSkuAreSummedInTheOrderTheSkusFirstAppear() {
        final OrderCommand.CancelOrder cancel = accepted(ContractRules.cancellation("o-1", new OrderCancelled("c-1",
                "o-1", "fewer", AT, List.of(line("B", 1), line("A", 1), line("B", 2))), ORIGIN));

        assertEquals(List.of(new Line("B", 3), new Line("A", 1)), cancel.lines());
    }

    @Test
    void aRefundNamesTheUnitsReturnedAndWhetherTheyGoBackOnSale() {
        final OrderCommand.ApplyPayment refund = accepted(ContractRules.payment("o-1", new PaymentEvent("p-1", "o-1",
                PaymentOutcome.REFUNDED, AT, List.of(line("A", 2)), false), ORIGIN));

        assertEquals(new OrderCommand.ApplyPayment("p-1", "o-1", PaymentResult.REFUNDED, AT.toEpochMilli(), ORIGIN,
                List.of(new Line("A", 2)), false), refund);
    }

    @Test
    void aPaymentWithoutLinesIsForTheWholeOrderAndARefundOfItRestocks() {
        final OrderCommand.ApplyPayment refund = accepted(ContractRules.payment("o-1",
                PaymentEvent.newBuilder().setPaymentId("p-1").setOrderId("o-1").setOutcome(PaymentOutcome.REFUNDED)
                        .setAt(AT).build(), ORIGIN));

        assertEquals(new OrderCommand.ApplyPayment("p-1", "o-1", PaymentResult.REFUNDED, AT.toEpochMilli(), ORIGIN),
                refund);
    }

    @Test
    void aShipmentBecomesAShipOrderOfItsLinesOrOfEverythingLeftToShip() {
        final OrderCommand.ShipOrder some = accepted(ContractRules.shipment("o-1",
                new OrderShipped("s-1", "o-1", List.of(line("A", 1), line("A", 1)), AT), ORIGIN));
        final OrderCommand.ShipOrder rest = accepted(ContractRules.shipment("o-1",
                new OrderShipped("s-2", "o-1", null, AT), ORIGIN));

        assertEquals(new OrderCommand.ShipOrder("s-1", "o-1", List.of(new Line("A", 2)), AT.toEpochMilli(), ORIGIN),
                some);
        assertEquals(new OrderCommand.ShipOrder("s-2", "o-1", null, AT.toEpochMilli(), ORIGIN), rest);
    }

    @Test
    void aCaptureOrAFailureThatNamesLinesIsRefusedForOnlyARefundReturnsPartOfAnOrder() {
        for (final PaymentOutcome outcome : List.of(PaymentOutcome.CAPTURED, PaymentOutcome.FAILED)) {
            assertRefused(DeadLetterCode.INVALID_LINES, "only a REFUNDED payment names lines (the units returned); a "
                    + outcome + " payment is for the whole order, so its lines must be null", ContractRules.payment(
                    "o-1", new PaymentEvent("p-1", "o-1", outcome, AT, List.of(line("A", 1)), true), ORIGIN));
        }
    }

    @Test
    void emptyLinesAreRefusedRatherThanTakenForTheWholeOrder() {
        assertRefused(DeadLetterCode.INVALID_LINES, "a cancellation names 1 to 100 lines, or null for the whole order;"
                + " this one has 0", ContractRules.cancellation("o-1",
                new OrderCancelled("c-1", "o-1", "x", AT, List.of()), ORIGIN));
        assertRefused(DeadLetterCode.INVALID_LINES, "a refund names 1 to 100 lines, or null for the whole order;"
                + " this one has 0", ContractRules.payment("o-1",
                new PaymentEvent("p-1", "o-1", PaymentOutcome.REFUNDED, AT, List.of(), true), ORIGIN));
        assertRefused(DeadLetterCode.INVALID_LINES, "a shipment names 1 to 100 lines, or null for the whole order;"
                + " this one has 0", ContractRules.shipment("o-1", new OrderShipped("s-1", "o-1", List.of(), AT),
                ORIGIN));
    }

    @Test
    void aLineOfABadQuantityOrSkuIsRefusedNamingIt() {
        assertRefused(DeadLetterCode.INVALID_QUANTITY, "quantity of sku B must be 1 to 1000000000, got 0",
                ContractRules.shipment("o-1", new OrderShipped("s-1", "o-1", List.of(line("A", 1), line("B", 0)), AT),
                        ORIGIN));
        assertRefused(DeadLetterCode.INVALID_ID, "sku is blank", ContractRules.cancellation("o-1",
                new OrderCancelled("c-1", "o-1", "x", AT, List.of(line("", 1))), ORIGIN));
    }

    @Test
    void aShipmentIsKeyedByItsOrderAndNeedsUsableIds() {
        assertRefused(DeadLetterCode.KEY_MISMATCH, "the record key must equal its orderId 'o-1', got 'o-2'",
                ContractRules.shipment("o-2", new OrderShipped("s-1", "o-1", null, AT), ORIGIN));
        assertRefused(DeadLetterCode.INVALID_ID, "shipmentId is blank",
                ContractRules.shipment("o-1", new OrderShipped(" ", "o-1", null, AT), ORIGIN));
    }

    @SuppressWarnings("unchecked")
    private static <C extends OrderCommand> C accepted(final Admission<OrderCommand> admission) {
        final Admission.Accepted<OrderCommand> accepted = assertInstanceOf(Admission.Accepted.class, admission);
        assertEquals("o-1", accepted.key());
        return (C) accepted.command();
    }

    private static void assertRefused(final DeadLetterCode code, final String message,
                                      final Admission<OrderCommand> admission) {
        assertEquals(new Admission.Refused<OrderCommand>(code, message), admission);
    }
}
