package io.stockline.topology;

import static io.stockline.topology.LedgerHarness.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.stockline.ledger.AllocationPolicy;
import io.stockline.ledger.Line;
import io.stockline.ledger.OrderCommand;
import io.stockline.ledger.OrderCommand.PaymentResult;
import io.stockline.ledger.Origin;
import io.stockline.ledger.Place;
import io.stockline.ledger.Product;
import io.stockline.ledger.StockCommand;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderCancelled;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.OrderShipped;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.StockAdjusted;
import io.stockline.topology.ContractRules.Admission;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
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

    @Nested
    class LocationsAndBatches {

        private static final AllocationPolicy TWO = new AllocationPolicy(List.of("north", "default"), false);

        private static OrderLine at(final String sku, final long quantity, final String location, final String batch) {
            return new OrderLine(sku, quantity, location, batch);
        }

        private static OrderPlaced order(final OrderLine... lines) {
            return new OrderPlaced("e-1", "o-1", List.of(lines), AT, null, null);
        }

        private static StockAdjusted adjusted(final long delta, final String location, final String batch,
                                              final Instant expires, final String to) {
            return new StockAdjusted("a-1", "S", delta, "in", AT, null, location, batch, expires, to, null, null);
        }

        private static Admission<StockCommand> adjust(final StockAdjusted adjusted) {
            return ContractRules.adjustment("S", adjusted, ORIGIN, TWO);
        }

        @Test
        void anOrderLineMayPinAKnownLocation() {
            final OrderCommand.PlaceOrder place = accepted(ContractRules.order("o-1",
                    order(at("A", 2, "north", null), at("A", 1, "north", null)), ORIGIN, TWO));
            assertEquals(List.of(new Line("A", 2, "north", null), new Line("A", 1, "north", null)), place.lines());
        }

        @Test
        void anOrderNamingAnUnknownLocationABatchOrTwoPinsForOneSkuIsRefused() {
            assertRefused(DeadLetterCode.UNKNOWN_LOCATION, "location 'south' is not one the ledger knows (--locations "
                    + "north,default)", ContractRules.order("o-1", order(at("A", 1, "south", null)), ORIGIN, TWO));
            assertRefused(DeadLetterCode.INVALID_LINES, "an order's line names no batch (the ledger takes the first "
                    + "to expire), got batch b1 for sku A", ContractRules.order("o-1", order(at("A", 1, null, "b1")),
                    ORIGIN, TWO));
            assertRefused(DeadLetterCode.INVALID_LINES, "sku A is in two lines with different locations (north, null)",
                    ContractRules.order("o-1", order(at("A", 1, "north", null), at("A", 1, null, null)), ORIGIN,
                            TWO));
            assertRefused(DeadLetterCode.UNKNOWN_LOCATION, "location 'north' is not one the ledger knows (--locations "
                    + "default)", ContractRules.order("o-1", order(at("A", 1, "north", null)), ORIGIN));
        }

        @Test
        void aCancellationRefundOrShipmentNamesNoPlace() {
            assertRefused(DeadLetterCode.INVALID_LINES, "a cancellation's lines name no location or batch (the ledger "
                    + "knows where the order's units are), got them for sku A", ContractRules.cancellation("o-1",
                    new OrderCancelled("c-1", "o-1", "r", AT, List.of(at("A", 1, "north", null))), ORIGIN));
            assertRefused(DeadLetterCode.INVALID_LINES, "a shipment's lines name no location or batch (the ledger "
                    + "knows where the order's units are), got them for sku A", ContractRules.shipment("o-1",
                    new OrderShipped("s-1", "o-1", List.of(at("A", 1, null, "b1")), AT), ORIGIN));
        }

        @Test
        void anAdjustmentBecomesACommandAtItsPlaceWithItsProduct() {
            final Instant expires = AT.plusSeconds(86_400);
            final StockAdjusted adjusted = new StockAdjusted("a-1", "S", 5L, "in", AT, null, "north", "b1", expires,
                    null, "cola", Map.of("size", "330ml"));
            final StockCommand.Adjust adjust = (StockCommand.Adjust) assertInstanceOf(Admission.Accepted.class,
                    ContractRules.adjustment("S", adjusted, ORIGIN, TWO)).command();
            assertEquals(new Place("north", "b1", expires.toEpochMilli()), adjust.place());
            assertEquals(new Product("cola", Map.of("size", "330ml")), adjust.product());
            final StockCommand.Adjust plain = (StockCommand.Adjust) assertInstanceOf(Admission.Accepted.class,
                    adjust(adjusted(5, null, null, null, null))).command();
            assertEquals(Place.DEFAULT, plain.place());
            assertEquals(null, plain.toLocation());
        }

        @Test
        void aBadPlaceOrTransferIsRefusedWithItsCode() {
            assertEquals(new Admission.Refused<StockCommand>(DeadLetterCode.UNKNOWN_LOCATION,
                    "location 'south' is not one the ledger knows (--locations north,default)"),
                    adjust(adjusted(5, "south", null, null, null)));
            assertEquals(new Admission.Refused<StockCommand>(DeadLetterCode.UNKNOWN_LOCATION,
                    "location 'south' is not one the ledger knows (--locations north,default)"),
                    adjust(adjusted(5, "north", null, null, "south")));
            assertEquals(new Admission.Refused<StockCommand>(DeadLetterCode.INVALID_TRANSFER,
                    "a transfer moves 1 or more units (delta) between two locations; this one moves 5 from north "
                            + "to north"), adjust(adjusted(5, "north", null, null, "north")));
            assertEquals(new Admission.Refused<StockCommand>(DeadLetterCode.INVALID_TRANSFER,
                    "a transfer moves 1 or more units (delta) between two locations; this one moves -1 from default "
                            + "to north"), adjust(adjusted(-1, null, null, null, "north")));
            assertEquals(new Admission.Refused<StockCommand>(DeadLetterCode.INVALID_ID,
                    "batch is missing: batchExpiresAt is the expiry of a batch"),
                    adjust(adjusted(5, null, null, AT, null)));
            assertEquals(new Admission.Refused<StockCommand>(DeadLetterCode.INVALID_ID, "batch is blank"),
                    adjust(adjusted(5, null, " ", null, null)));
        }
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
