package io.stockline.topology;

import io.stockline.schemas.EventTopic;
import static io.stockline.topology.LedgerHarness.GRACE;
import static io.stockline.topology.LedgerHarness.HOLD;
import static io.stockline.topology.LedgerHarness.line;
import static io.stockline.topology.LedgerHarness.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.Rollback;
import io.stockline.ledger.ReleaseCause;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.RollbackCause;
import io.stockline.schemas.StockRollback;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One test per rule of the ledger, through the whole topology. */
class LedgerRulesTest {

    final LedgerHarness ledger = harness();

    /** Six partitions: some keys live in the test's task, the others go round through the command topics. */
    LedgerHarness harness() {
        return new LedgerHarness();
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void adjustmentAddsToOnHandAndAvailable() {
        ledger.adjust("a1", "A", 10);
        ledger.adjust("a2", "A", -3);

        assertLevel("A", 7, 7, 0);
        assertEquals(2, ledger.level("A").version());
    }

    @Test
    void adjustmentThatWouldMakeAvailableNegativeChangesNothingAndIsADeadLetter() {
        ledger.adjust("a1", "A", 5);
        ledger.place("o1", line("A", 4));
        ledger.outcomes();

        ledger.adjust("a2", "A", -2);

        assertLevel("A", 5, 1, 4);
        final DeadLetter deadLetter = single(ledger.deadLetters());
        assertEquals(DeadLetterCode.ADJUSTMENT_EXCEEDS_AVAILABLE, deadLetter.getCode());
        assertEquals(EventTopic.STOCK_ADJUSTMENTS.topicName(), deadLetter.getSourceTopic());
        assertEquals("A", deadLetter.getKey());
        assertTrue(deadLetter.getPayload().remaining() > 10, "carries the original bytes");
    }

    @Test
    void orderWhoseLinesAllFitIsReservedAndLocksEveryLine() {
        ledger.adjust("a1", "A", 10);
        ledger.adjust("b1", "B", 3);

        ledger.place("o1", line("A", 4), line("B", 3));

        final OrderOutcome outcome = single(ledger.outcomes());
        assertEquals(OrderStatus.RESERVED, outcome.getStatus());
        assertEquals(ledger.now().plus(HOLD), outcome.getExpiresAt());
        assertLevel("A", 10, 6, 4);
        assertLevel("B", 3, 0, 3);
        assertTrue(ledger.rollbacks().isEmpty());
    }

    @Test
    void orderWithOneShortLineIsRejectedAndReleasesWhatItLockedOnTheWay() {
        placeOrderShortOnBIsRejected();

        final StockRollback rollback = single(ledger.rollbacks());
        assertEquals("A", rollback.getSku());
        assertEquals(4, rollback.getQuantity());
        assertEquals(RollbackCause.PARTIAL_REJECTION, rollback.getCause());
        assertEquals(Rollback.idFor("o1", "A", ReleaseCause.PARTIAL_REJECTION), rollback.getRollbackId());
        assertLevel("A", 10, 10, 0);
        assertLevel("B", 1, 1, 0);
        assertNull(ledger.level("C"), "a SKU the ledger never had stays unknown");
    }

    @Test
    void linesOfTheSameSkuWithinOneOrderAreSummed() {
        ledger.adjust("a1", "A", 5);

        ledger.place("o1", line("A", 2), line("A", 3));

        final OrderOutcome outcome = single(ledger.outcomes());
        assertEquals(OrderStatus.RESERVED, outcome.getStatus());
        assertEquals(List.of(line("A", 5)), outcome.getLines());
        assertLevel("A", 5, 0, 5);
    }

    @Test
    void orderWhoseDeadlineHasAlreadyPassedIsRejectedAndLocksNothing() {
        ledger.adjust("a1", "A", 5);

        ledger.place(order("o1", "e1", ledger.now().minus(Duration.ofMinutes(2)), 60_000L, line("A", 1)));

        final OrderOutcome outcome = single(ledger.outcomes());
        assertEquals(OrderStatus.REJECTED, outcome.getStatus());
        assertTrue(outcome.getReason().contains("had passed"), outcome.getReason());
        assertLevel("A", 5, 5, 0);
    }

    @Test
    void capturedPaymentConfirmsAndTakesTheUnitsOffHand() {
        givenReserved("o1", "A", 10, 4);

        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);

        assertEquals(OrderStatus.CONFIRMED, single(ledger.outcomes()).getStatus());
        assertLevel("A", 6, 6, 0);
        assertTrue(ledger.rollbacks().isEmpty());
    }

    @Test
    void failedPaymentCancelsTheOrderAndReleasesEachLineWithARollback() {
        givenReserved("o1", "A", 10, 4);

        ledger.pay("p1", "o1", PaymentOutcome.FAILED);

        final OrderOutcome outcome = single(ledger.outcomes());
        assertEquals(OrderStatus.CANCELLED, outcome.getStatus());
        assertEquals("PAYMENT_FAILED", outcome.getReason());
        assertEquals(RollbackCause.PAYMENT_FAILED, single(ledger.rollbacks()).getCause());
        assertLevel("A", 10, 10, 0);
    }

    @Test
    void cancellationReleasesEachLineWithARollback() {
        ledger.adjust("a1", "A", 10);
        ledger.adjust("b1", "B", 10);
        ledger.place("o1", line("A", 1), line("B", 2));
        ledger.outcomes();

        ledger.cancel("c1", "o1", "customer changed their mind");

        final OrderOutcome outcome = single(ledger.outcomes());
        assertEquals(OrderStatus.CANCELLED, outcome.getStatus());
        assertEquals("CANCELLED: customer changed their mind", outcome.getReason());
        final List<StockRollback> rollbacks = ledger.rollbacks();
        assertEquals(2, rollbacks.size());
        assertTrue(rollbacks.stream().allMatch(r -> r.getCause() == RollbackCause.CANCELLED));
        assertLevel("A", 10, 10, 0);
        assertLevel("B", 10, 10, 0);
    }

    @Test
    void unpaidOrderExpiresByWallClockWithinASecondOfItsDeadlineWithNoOtherEvent() {
        ledger.adjust("a1", "A", 10);
        ledger.place(order("o1", "e1", ledger.now(), 30_000L, line("A", 3)));
        ledger.outcomes();

        ledger.advance(Duration.ofMillis(29_900));
        assertTrue(ledger.outcomes().isEmpty(), "not before its deadline");
        ledger.advance(Duration.ofMillis(1_000));

        final OrderOutcome outcome = single(ledger.outcomes());
        assertEquals(OrderStatus.EXPIRED, outcome.getStatus());
        assertTrue(!outcome.getAt().isAfter(ledger.now()));
        assertEquals(RollbackCause.EXPIRED, single(ledger.rollbacks()).getCause());
        assertLevel("A", 10, 10, 0);
    }

    @Test
    void refundOfAConfirmedOrderPutsTheGoodsBack() {
        givenConfirmedO1();

        ledger.pay("p2", "o1", PaymentOutcome.REFUNDED);

        assertEquals(OrderStatus.REFUNDED, single(ledger.outcomes()).getStatus());
        final StockRollback rollback = single(ledger.rollbacks());
        assertEquals(RollbackCause.REFUNDED, rollback.getCause());
        assertEquals(4, rollback.getQuantity());
        assertLevel("A", 10, 10, 0);
    }

    @Test
    void eventDeliveredAgainChangesNothingAndEmitsNothing() {
        givenConfirmedO1();
        final StockLevel before = ledger.level("A");

        ledger.adjust("o1-stock", "A", 10);
        ledger.place("o1", line("A", 4));
        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
        ledger.cancel("c1", "o2", "x");
        ledger.cancel("c1", "o2", "x");

        assertEquals(before, ledger.level("A"));
        assertTrue(ledger.outcomes().isEmpty());
        assertTrue(ledger.rollbacks().isEmpty());
        assertTrue(ledger.deadLetters().isEmpty());
        assertEquals(1, ledger.order("o2").held().size(), "the cancellation is held once");
    }

    @Test
    void sameOrderIdPlacedAgainWithOtherContentIsAnOrderIdConflict() {
        givenReserved("o1", "A", 10, 4);

        ledger.place(order("o1", "e2", ledger.now(), null, line("A", 5)));

        assertEquals(DeadLetterCode.ORDER_ID_CONFLICT, single(ledger.deadLetters()).getCode());
        assertTrue(ledger.outcomes().isEmpty());
        assertLevel("A", 10, 6, 4);
    }

    @Test
    void capturedPaymentForACancelledExpiredOrRejectedOrderIsALatePayment() {
        givenReserved("cancelled", "A", 10, 1);
        ledger.cancel("c1", "cancelled", "x");
        ledger.place(order("expired", "e2", ledger.now(), 1_000L, line("A", 1)));
        ledger.advance(Duration.ofSeconds(2));
        ledger.place("rejected", line("A", 100));
        ledger.outcomes();
        ledger.rollbacks();

        ledger.pay("p1", "cancelled", PaymentOutcome.CAPTURED);
        ledger.pay("p2", "expired", PaymentOutcome.CAPTURED);
        ledger.pay("p3", "rejected", PaymentOutcome.CAPTURED);

        assertTrue(ledger.deadLetters().stream().allMatch(d -> d.getCode() == DeadLetterCode.LATE_PAYMENT));
        assertTrue(ledger.outcomes().isEmpty());
        assertLevel("A", 10, 10, 0);
    }

    @Test
    void transitionsThatDoNotApplyAreIllegalAndChangeNoStock() {
        givenReserved("o1", "A", 10, 2);
        ledger.pay("p0", "o1", PaymentOutcome.REFUNDED);
        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
        ledger.outcomes();

        ledger.cancel("c1", "o1", "too late");
        ledger.pay("p2", "o1", PaymentOutcome.FAILED);
        ledger.pay("p3", "o1", PaymentOutcome.CAPTURED);

        final List<DeadLetter> deadLetters = ledger.deadLetters();
        assertEquals(4, deadLetters.size());
        assertTrue(deadLetters.stream().allMatch(d -> d.getCode() == DeadLetterCode.ILLEGAL_TRANSITION));
        assertTrue(ledger.outcomes().isEmpty());
        assertLevel("A", 8, 8, 0);
    }

    @Test
    void paymentArrivingBeforeItsOrderIsHeldAndAppliedWhenTheOrderArrives() {
        ledger.adjust("a1", "A", 10);
        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
        assertTrue(ledger.outcomes().isEmpty());

        ledger.advance(Duration.ofMinutes(1));
        ledger.place("o1", line("A", 3));

        assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.CONFIRMED), statuses(ledger.outcomes()));
        assertLevel("A", 7, 7, 0);
    }

    @Test
    void cancellationArrivingBeforeItsOrderMeansTheOrderIsNeverReserved() {
        ledger.adjust("a1", "A", 10);
        ledger.cancel("c1", "o1", "changed mind");

        ledger.place("o1", line("A", 3));

        final OrderOutcome outcome = single(ledger.outcomes());
        assertEquals(OrderStatus.CANCELLED, outcome.getStatus());
        assertTrue(ledger.rollbacks().isEmpty(), "nothing was locked, nothing is rolled back");
        assertLevel("A", 10, 10, 0);
    }

    @Test
    void eventWhoseOrderNeverArrivesIsAnOrphanDeadLetterAfterTheGrace() {
        ledger.pay("p1", "ghost", PaymentOutcome.CAPTURED);

        ledger.advance(GRACE.minusSeconds(1));
        assertTrue(ledger.deadLetters().isEmpty());
        ledger.advance(Duration.ofSeconds(2));

        final DeadLetter deadLetter = single(ledger.deadLetters());
        assertEquals(DeadLetterCode.ORPHAN_EVENT, deadLetter.getCode());
        assertEquals(EventTopic.PAYMENTS.topicName(), deadLetter.getSourceTopic());
        assertEquals("ghost", deadLetter.getKey());
    }

    @Test
    void decisionOnceMadeIsNeverFlippedByARetry() {
        ledger.adjust("a1", "A", 1);
        ledger.place("o1", line("A", 2));
        ledger.adjust("a2", "A", 5);

        ledger.place("o1", line("A", 2));

        assertEquals(List.of(OrderStatus.REJECTED), statuses(ledger.outcomes()));
        assertLevel("A", 6, 6, 0);
    }

    private void givenReserved(final String orderId, final String sku, final long stock, final long quantity) {
        ledger.adjust(orderId + "-stock", sku, stock);
        ledger.place(orderId, line(sku, quantity));
        assertEquals(OrderStatus.RESERVED, single(ledger.outcomes()).getStatus());
    }

    /** Order o1 for 4 of A's 10 units, reserved and then paid with p1. */
    private void givenConfirmedO1() {
        givenReserved("o1", "A", 10, 4);
        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
        assertEquals(OrderStatus.CONFIRMED, single(ledger.outcomes()).getStatus());
    }

    /** Given A10 and B1, an order of A4, B2 and C1 (a SKU the ledger never had) is rejected: B is short. */
    void placeOrderShortOnBIsRejected() {
        ledger.adjust("a1", "A", 10);
        ledger.adjust("b1", "B", 1);

        ledger.place("o1", line("A", 4), line("B", 2), line("C", 1));

        final OrderOutcome outcome = single(ledger.outcomes());
        assertEquals(OrderStatus.REJECTED, outcome.getStatus());
        assertEquals("insufficient stock for sku B: requested 2, available 1", outcome.getReason());
    }

    void assertLevel(final String sku, final long onHand, final long available, final long locked) {
        final StockLevel level = ledger.level(sku);
        assertEquals(List.of(onHand, available, locked), List.of(level.onHand(), level.available(), level.locked()),
                "onHand, available, locked of " + sku);
        assertTrue(level.invariantsHold());
    }

    private static List<OrderStatus> statuses(final List<OrderOutcome> outcomes) {
        return outcomes.stream().map(OrderOutcome::getStatus).toList();
    }

    static <T> T single(final List<T> items) {
        assertEquals(1, items.size(), "exactly one of " + items);
        return items.get(0);
    }
}
