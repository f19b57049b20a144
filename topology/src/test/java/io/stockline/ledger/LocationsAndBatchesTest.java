package io.stockline.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.OrderCommand.ApplyPayment;
import io.stockline.ledger.OrderCommand.CancelOrder;
import io.stockline.ledger.OrderCommand.LineResult;
import io.stockline.ledger.OrderCommand.PaymentResult;
import io.stockline.ledger.OrderCommand.PlaceOrder;
import io.stockline.ledger.OrderCommand.ShipOrder;
import io.stockline.ledger.StockCommand.Adjust;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Stock per location and batch (#20): allocation by the policy's priority, pins, splitting, first-expiry-first-out,
 * expired batches, transfers, and every later step of an order acting on exactly the places its units came from.
 * Both machines run here as the topology runs them in one task, with no Kafka.
 */
class LocationsAndBatchesTest {

    private static final long NOW = 1_000_000L;
    private static final long DAY = 86_400_000L;
    private static final Origin ORIGIN = new Origin("stock-adjustments", 0, 0L, "k", null);
    private static final AllocationPolicy NORTH_FIRST =
            new AllocationPolicy(List.of("north", "south", Place.DEFAULT_LOCATION), false);

    private static Place batch(final String location, final String batch, final Long expiresAt) {
        return new Place(location, batch, expiresAt);
    }

    private static Adjust adjust(final String id, final long delta, final Place place) {
        return new Adjust(id, "sku", delta, "count", NOW, ORIGIN, null, place, null, null);
    }

    private static Adjust transfer(final String id, final long delta, final Place from, final String to) {
        return new Adjust(id, "sku", delta, "move", NOW, ORIGIN, null, from, to, null);
    }

    /** Both machines, one task, commands applied at once. */
    private static final class Ledger {
        final OrderMachine machine;
        final AllocationPolicy policy;
        final Map<String, Order> orders = new HashMap<>();
        StockLevel level;
        final List<Outcome> outcomes = new ArrayList<>();
        final List<Rejection> rejections = new ArrayList<>();
        final List<Movement> movements = new ArrayList<>();
        final List<StockCommand> sent = new ArrayList<>();
        long now = NOW;

        Ledger(final AllocationPolicy policy, final DeductOn deductOn) {
            this.policy = policy;
            this.machine = new OrderMachine(DAY, 60_000L, deductOn);
        }

        Ledger(final AllocationPolicy policy) {
            this(policy, DeductOn.PAYMENT);
        }

        StockStep stock(final StockCommand command) {
            final StockStep step = StockMachine.apply(level, command, false, now, policy);
            if (step.changed()) {
                assertTrue(step.level().invariantsHold(), "totals: " + step.level());
                long onHand = 0;
                long available = 0;
                long locked = 0;
                for (final PlaceLevel part : step.level().parts()) {
                    assertTrue(part.available() >= 0 && part.locked() >= 0
                            && part.available() + part.locked() == part.onHand(), "place: " + part);
                    onHand += part.onHand();
                    available += part.available();
                    locked += part.locked();
                }
                assertEquals(List.of(step.level().onHand(), step.level().available(), step.level().locked()),
                        List.of(onHand, available, locked), "the totals are the places' sums");
                level = step.level();
                movements.addAll(step.movements());
                assertEquals(level.version(), movements.size(), "one movement per version");
                assertEquals(level.onHand(), movements.stream().mapToLong(Movement::onHandDelta).sum());
                assertEquals(level.locked(), movements.stream().mapToLong(Movement::lockedDelta).sum());
                final Movement last = movements.get(movements.size() - 1);
                assertEquals(List.of(level.onHand(), level.available(), level.locked(), level.version()),
                        List.of(last.after().onHand(), last.after().available(), last.after().locked(),
                                last.after().version()), "the last movement's afters are the level");
            }
            if (step.rejection() != null) {
                rejections.add(step.rejection());
            }
            return step;
        }

        void order(final OrderStep first) {
            final ArrayDeque<Object> work = new ArrayDeque<>();
            apply(first, work);
            while (!work.isEmpty()) {
                final StockStep step = stock((StockCommand) work.poll());
                if (step.outcome() != null) {
                    outcomes.add(step.outcome());
                }
                if (step.reply() != null) {
                    final LineResult reply = step.reply();
                    apply(machine.lineResult(orders.get(reply.orderId()), reply, now), work);
                }
            }
        }

        private void apply(final OrderStep step, final ArrayDeque<Object> work) {
            orders.put(step.order().orderId(), step.order());
            outcomes.addAll(step.outcomes());
            rejections.addAll(step.rejections());
            sent.addAll(step.stockCommands());
            work.addAll(step.stockCommands());
        }

        void place(final String orderId, final Line... lines) {
            order(machine.place(orders.get(orderId), new PlaceOrder("e-" + orderId, orderId, List.of(lines), now,
                    null, ORIGIN), now, sku -> null));
        }

        void pay(final String orderId, final PaymentResult result, final List<Line> lines, final boolean restock) {
            order(machine.payment(orders.get(orderId), new ApplyPayment("p-" + orderId + result + lines, orderId,
                    result, now, ORIGIN, lines, restock), now));
        }

        void cancel(final String orderId, final List<Line> lines) {
            order(machine.cancel(orders.get(orderId), new CancelOrder("c-" + orderId + lines, orderId, "asked", now,
                    ORIGIN, lines), now));
        }

        void ship(final String orderId, final List<Line> lines) {
            order(machine.ship(orders.get(orderId), new ShipOrder("s-" + orderId + lines, orderId, lines, now,
                    ORIGIN), now));
        }

        Outcome last() {
            return outcomes.get(outcomes.size() - 1);
        }

        PlaceLevel at(final Place place) {
            return level.partAt(place);
        }
    }

    private static Ledger stocked(final AllocationPolicy policy, final DeductOn deductOn) {
        final Ledger ledger = new Ledger(policy, deductOn);
        ledger.stock(adjust("a1", 5, Place.at("south")));
        ledger.stock(adjust("a2", 3, batch("north", "late", NOW + 30 * DAY)));
        ledger.stock(adjust("a3", 2, batch("north", "early", NOW + 10 * DAY)));
        ledger.stock(adjust("a4", 4, batch("north", "gone", NOW + DAY)));
        ledger.now = NOW + 2 * DAY; // batch "gone" has expired
        assertTrue(ledger.rejections.isEmpty(), ledger.rejections.toString());
        return ledger;
    }

    private static Ledger stocked(final AllocationPolicy policy) {
        return stocked(policy, DeductOn.PAYMENT);
    }

    @Nested
    class Levels {

        @Test
        void aSkuWithoutLocationsStoresNoPlacesAndCostsWhatItDid() {
            final Ledger ledger = new Ledger(AllocationPolicy.DEFAULT);
            ledger.stock(adjust("a1", 10, Place.DEFAULT));
            assertFalse(ledger.level.isSplit());
            assertNull(ledger.movements.get(0).place());
            ledger.place("o1", new Line("sku", 4));
            assertEquals(Map.of(), ledger.orders.get("o1").places());
            assertEquals(List.of(new Line("sku", 4)), ledger.last().lines());
        }

        @Test
        void totalsAreThePlacesSumsAndAWrittenOffBatchIsForgotten() {
            final Ledger ledger = stocked(NORTH_FIRST);
            assertEquals(14, ledger.level.onHand());
            assertEquals(4, ledger.level.parts().size());
            assertEquals(10, ledger.level.reservableAt(ledger.now), "the expired batch is not reservable");
            ledger.stock(adjust("w1", -4, batch("north", "gone", null)));
            assertNull(ledger.level.storedPlace("north", "gone"));
            assertEquals(10, ledger.level.onHand());
            final Movement writeOff = ledger.movements.get(ledger.movements.size() - 1);
            assertEquals(batch("north", "gone", NOW + DAY), writeOff.place());
            assertEquals(-4, writeOff.onHandDelta());
            assertEquals(0, writeOff.placeAfter().onHand());
        }

        @Test
        void aSkuWhoseOtherPlacesEmptyGoesBackToStoringNone() {
            final Ledger ledger = new Ledger(NORTH_FIRST);
            ledger.stock(adjust("a1", 3, Place.DEFAULT));
            ledger.stock(adjust("a2", 2, Place.at("north")));
            assertTrue(ledger.level.isSplit());
            ledger.stock(adjust("a3", -2, Place.at("north")));
            assertFalse(ledger.level.isSplit());
            assertEquals(3, ledger.level.available());
        }
    }

    @Nested
    class Adjustments {

        @Test
        void takingOutOfABatchTheLocationDoesNotHaveIsUnknownBatch() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.stock(adjust("x", -1, batch("south", "late", null)));
            assertEquals(RejectCode.UNKNOWN_BATCH, ledger.rejections.get(0).code());
            assertTrue(ledger.rejections.get(0).message().contains("location south does not have"),
                    ledger.rejections.get(0).message());
        }

        @Test
        void addingToAnExpiredBatchIsRefusedAndWritingItOffIsNot() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.stock(adjust("x", 1, batch("north", "gone", null)));
            assertEquals(RejectCode.BATCH_EXPIRED, ledger.rejections.get(0).code());
            ledger.stock(adjust("y", -4, batch("north", "gone", null)));
            assertEquals(1, ledger.rejections.size());
        }

        @Test
        void aBatchKeepsItsFirstExpiry() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.stock(adjust("x", 1, batch("north", "late", NOW + 99 * DAY)));
            assertEquals(RejectCode.BATCH_EXPIRY_MISMATCH, ledger.rejections.get(0).code());
            ledger.stock(adjust("y", 1, batch("north", "late", null)));
            assertEquals(4, ledger.at(batch("north", "late", null)).onHand(), "no expiry given: the batch's own");
        }

        @Test
        void aPlaceCannotGiveMoreThanItHasAvailable() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.stock(adjust("x", -6, Place.at("south")));
            assertEquals(RejectCode.ADJUSTMENT_EXCEEDS_AVAILABLE, ledger.rejections.get(0).code());
            assertTrue(ledger.rejections.get(0).message().endsWith("exceeds available 5 at south"),
                    ledger.rejections.get(0).message());
            assertEquals(5, ledger.at(Place.at("south")).onHand());
        }

        @Test
        void theProductSticksUntilAnotherAdjustmentNamesOne() {
            final Ledger ledger = new Ledger(AllocationPolicy.DEFAULT);
            final Product cola = new Product("cola", Map.of("flavour", "cherry", "size", "330ml"));
            ledger.stock(new Adjust("a1", "sku", 5, "in", NOW, ORIGIN, null, Place.DEFAULT, null, cola));
            ledger.stock(adjust("a2", 1, Place.DEFAULT));
            assertEquals(cola, ledger.level.product());
        }
    }

    @Nested
    class Transfers {

        @Test
        void aTransferMovesAvailableUnitsAndKeepsTheTotals() {
            final Ledger ledger = stocked(NORTH_FIRST);
            final StockStep step = ledger.stock(transfer("t1", 2, batch("north", "late", null), "south"));
            assertTrue(step.changed());
            assertEquals(MovementKind.TRANSFER, step.movement().kind());
            assertEquals(List.of(0L, 0L, 0L), List.of(
                    step.movements().stream().mapToLong(Movement::onHandDelta).sum(),
                    step.movements().stream().mapToLong(Movement::availableDelta).sum(),
                    step.movements().stream().mapToLong(Movement::lockedDelta).sum()), "the totals stay");
            assertEquals(1, ledger.at(batch("north", "late", null)).available());
            final PlaceLevel moved = ledger.at(batch("south", "late", null));
            assertEquals(2, moved.available());
            assertEquals(NOW + 30 * DAY, moved.place().expiresAt(), "the batch keeps its expiry where it goes");
            assertEquals(2, step.movements().size(), "one movement per place, out and in");
            assertEquals(List.of(-2L, 2L), List.of(step.movements().get(0).onHandDelta(),
                    step.movements().get(1).onHandDelta()), "out of north, into south");
            assertEquals(List.of("north", "south"), List.of(step.movements().get(0).place().location(),
                    step.movements().get(1).place().location()));
            assertEquals(ledger.level.onHand() - 2, step.movements().get(0).after().onHand(),
                    "the SKU's levels after each movement in turn");
        }

        @Test
        void aTransferBeyondTheSourcesAvailableIsRefusedWhole() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.place("o1", new Line("sku", 4, "south", null));
            ledger.stock(transfer("t1", 2, Place.at("south"), "north"));
            assertEquals(RejectCode.TRANSFER_EXCEEDS_AVAILABLE, ledger.rejections.get(0).code());
            assertEquals(1, ledger.at(Place.at("south")).available());
            assertEquals(0, ledger.at(Place.at("north")).onHand());
        }

        @Test
        void aTransferIntoABatchOfTheSameNameWithAnotherExpiryIsRefused() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.stock(adjust("s1", 1, batch("south", "gone", NOW + 30 * DAY)));
            ledger.stock(transfer("t1", 4, batch("north", "gone", null), "south"));
            assertEquals(RejectCode.BATCH_EXPIRY_MISMATCH, ledger.rejections.get(0).code());
            assertTrue(ledger.rejections.get(0).message().contains("where batch gone expires"),
                    ledger.rejections.get(0).message());
            assertEquals(1, ledger.at(batch("south", "gone", null)).onHand(), "the expired units stay out of it");
            assertEquals(11, ledger.level.reservableAt(ledger.now), "nothing expired became reservable");
        }

        @Test
        void aTransferOfAnUnknownBatchIsUnknownBatch() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.stock(transfer("t1", 1, batch("south", "early", null), "north"));
            assertEquals(RejectCode.UNKNOWN_BATCH, ledger.rejections.get(0).code());
        }
    }

    @Nested
    class Allocation_ {

        @Test
        void theFirstLocationWithEnoughGivesItsEarliestBatchesFirstAndSkipsExpiredOnes() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.place("o1", new Line("sku", 4));
            assertEquals(OrderStatus.RESERVED, ledger.last().status());
            assertEquals(List.of(new Line("sku", 2, "north", "early"), new Line("sku", 2, "north", "late")),
                    ledger.last().lines());
            assertEquals(4, ledger.at(batch("north", "gone", null)).available(), "expired: never taken");
        }

        @Test
        void withoutSplittingALineGoesToTheFirstLocationThatHasItAll() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.place("o1", new Line("sku", 4));
            ledger.place("o2", new Line("sku", 2));
            assertEquals(List.of(new Line("sku", 2, "south", null)), ledger.last().lines(), "north has 1 left");
        }

        @Test
        void withoutSplittingALineNoLocationCanFillIsRejectedSayingSo() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.place("o1", new Line("sku", 8));
            assertEquals(OrderStatus.REJECTED, ledger.last().status());
            assertEquals("insufficient stock for sku sku: requested 8, available 10, at most 5 at one location "
                    + "(lines are not split across locations)", ledger.last().reason());
            assertEquals(0, ledger.level.locked());
        }

        @Test
        void splittingTakesLocationsInTheirOrder() {
            final Ledger ledger = stocked(new AllocationPolicy(NORTH_FIRST.locations(), true));
            ledger.place("o1", new Line("sku", 8));
            assertEquals(List.of(new Line("sku", 2, "north", "early"), new Line("sku", 3, "north", "late"),
                    new Line("sku", 3, "south", null)), ledger.last().lines());
        }

        @Test
        void aPinnedLineTakesItsUnitsThereOrIsRejectedNamingTheLocation() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.place("o1", new Line("sku", 3, "south", null));
            assertEquals(List.of(new Line("sku", 3, "south", null)), ledger.last().lines());
            ledger.place("o2", new Line("sku", 3, "south", null));
            assertEquals(OrderStatus.REJECTED, ledger.last().status());
            assertEquals("insufficient stock for sku sku at location south: requested 3, available 2",
                    ledger.last().reason());
            assertEquals(List.of(new Line("sku", 3, "south", null)), ledger.last().lines(), "as placed");
        }

        @Test
        void aPinToALocationWhereTheSkuHasNothingIsRejected() {
            final Ledger ledger = new Ledger(NORTH_FIRST);
            ledger.stock(adjust("a1", 5, Place.DEFAULT));
            ledger.place("o1", new Line("sku", 1, "north", null));
            assertEquals(OrderStatus.REJECTED, ledger.last().status());
            assertEquals("insufficient stock for sku sku at location north: requested 1, available 0",
                    ledger.last().reason());
        }

        @Test
        void expiredUnitsAreNeverTakenEvenWhenNothingElseIsLeft() {
            final Ledger ledger = stocked(new AllocationPolicy(NORTH_FIRST.locations(), true));
            ledger.place("o1", new Line("sku", 10));
            assertEquals(OrderStatus.RESERVED, ledger.last().status());
            ledger.place("o2", new Line("sku", 1));
            assertEquals(OrderStatus.REJECTED, ledger.last().status());
            assertEquals("insufficient stock for sku sku: requested 1, available 0", ledger.last().reason());
            assertEquals(4, ledger.level.available(), "the expired batch's units are still on hand");
        }
    }

    @Nested
    class LaterSteps {

        @Test
        void aPaymentSellsTheUnitsWhereTheyWereLocked() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.place("o1", new Line("sku", 4));
            ledger.pay("o1", PaymentResult.CAPTURED, null, true);
            assertEquals(OrderStatus.CONFIRMED, ledger.last().status());
            assertEquals(0, ledger.at(batch("north", "early", null)).onHand(), "written off: forgotten");
            assertEquals(1, ledger.at(batch("north", "late", null)).onHand());
            assertEquals(0, ledger.level.locked());
            assertEquals(List.of(new Line("sku", 2, "north", "early"), new Line("sku", 2, "north", "late")),
                    ledger.last().lines());
        }

        @Test
        void aCancellationOfSomeUnitsGivesBackTheLastAllocatedAndTheRestStaysPut() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.place("o1", new Line("sku", 4));
            ledger.cancel("o1", List.of(new Line("sku", 3)));
            assertEquals(OrderStatus.AMENDED, ledger.last().status());
            assertEquals(List.of(new Line("sku", 1, "north", "early")), ledger.last().lines());
            assertEquals(1, ledger.at(batch("north", "early", null)).locked());
            assertEquals(3, ledger.at(batch("north", "late", null)).available());
            ledger.cancel("o1", null);
            assertEquals(0, ledger.level.locked());
            assertEquals(Map.of(), ledger.orders.get("o1").places());
        }

        @Test
        void anExpiryReleasesExactlyWhereTheUnitsWere() {
            final Ledger ledger = stocked(new AllocationPolicy(NORTH_FIRST.locations(), true));
            ledger.place("o1", new Line("sku", 8));
            ledger.now += 2 * DAY;
            ledger.order(ledger.machine.expire(ledger.orders.get("o1"), ledger.now));
            assertEquals(OrderStatus.EXPIRED, ledger.last().status());
            assertEquals(0, ledger.level.locked());
            assertEquals(5, ledger.at(Place.at("south")).available());
            assertEquals(3, ledger.at(batch("north", "late", null)).available());
        }

        @Test
        void shipmentsTakeTheFirstToExpireAndARefundReturnsTheLastShippedToWhereItCameFrom() {
            final Ledger ledger = stocked(NORTH_FIRST, DeductOn.SHIPMENT);
            ledger.place("o1", new Line("sku", 4));
            ledger.pay("o1", PaymentResult.CAPTURED, null, true);
            ledger.ship("o1", List.of(new Line("sku", 3)));
            assertEquals(OrderStatus.SHIPPED, ledger.last().status());
            final List<StockCommand> sent = ledger.sent;
            final StockCommand.Ship ship = (StockCommand.Ship) sent.get(sent.size() - 1);
            assertEquals(List.of(new Allocation(batch("north", "early", NOW + 10 * DAY), 2),
                    new Allocation(batch("north", "late", NOW + 30 * DAY), 1)), ship.from());
            assertEquals(1, ledger.at(batch("north", "late", null)).locked(), "one late unit still to ship");
            // Two back: the one unshipped is released first, then the last shipped (a late one) comes back.
            ledger.pay("o1", PaymentResult.REFUNDED, List.of(new Line("sku", 2)), true);
            assertEquals(OrderStatus.PARTIALLY_REFUNDED, ledger.last().status());
            assertEquals(List.of(new Line("sku", 2, "north", "early")), ledger.last().lines());
            assertEquals(3, ledger.at(batch("north", "late", null)).available());
            assertEquals(0, ledger.at(batch("north", "late", null)).locked());
            ledger.pay("o1", PaymentResult.REFUNDED, null, true);
            assertEquals(OrderStatus.REFUNDED, ledger.last().status());
            assertEquals(2, ledger.at(batch("north", "early", null)).available(), "back to its own batch");
            assertEquals(14, ledger.level.onHand());
        }

        @Test
        void aDamagedReturnForgetsThePlacesWithoutPuttingAnythingBack() {
            final Ledger ledger = stocked(NORTH_FIRST);
            ledger.place("o1", new Line("sku", 5, "south", null));
            ledger.pay("o1", PaymentResult.CAPTURED, null, true);
            ledger.pay("o1", PaymentResult.REFUNDED, List.of(new Line("sku", 2)), false);
            assertEquals(List.of(new Line("sku", 3, "south", null)), ledger.last().lines());
            assertEquals(0, ledger.at(Place.at("south")).onHand());
            assertEquals(List.of(new Allocation(Place.at("south"), 3)), ledger.orders.get("o1").places().get("sku"));
        }

        @Test
        void anOrderReservedBeforeTheSkuHadLocationsReleasesAtTheDefaultPlace() {
            final Ledger ledger = new Ledger(NORTH_FIRST);
            ledger.stock(adjust("a1", 5, Place.DEFAULT));
            ledger.place("o1", new Line("sku", 2));
            assertEquals(Map.of(), ledger.orders.get("o1").places());
            ledger.stock(adjust("a2", 7, Place.at("north")));
            ledger.cancel("o1", null);
            assertEquals(5, ledger.at(Place.DEFAULT).available());
            assertEquals(7, ledger.at(Place.at("north")).available());
        }
    }

    @Nested
    class Slices {

        @Test
        void unitsAreCountedAcrossRunsAndNeighboursMerge() {
            final Place a = Place.at("a");
            final Place b = Place.at("b");
            final List<Allocation> runs = List.of(new Allocation(a, 2), new Allocation(b, 3), new Allocation(a, 1));
            assertEquals(List.of(new Allocation(a, 1), new Allocation(b, 2)), Allocation.slice(runs, 1, 3));
            assertEquals(List.of(new Allocation(a, 2)), Allocation.without(runs, 2, 4));
            assertEquals(List.of(new Allocation(a, 3)), Allocation.without(runs, 2, 3));
            assertEquals(List.of(), Allocation.slice(List.of(), 0, 5), "empty: the default place");
            assertEquals(List.of(), Allocation.merged(List.of(new Allocation(Place.DEFAULT, 4))));
        }
    }
}
