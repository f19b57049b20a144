package io.stockline.ledger;

import io.stockline.ledger.OrderCommand.HeldEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One order as the ledger knows it.
 *
 * @param lines          the order's lines, summed per SKU; empty while the order itself has not arrived
 * @param holdMillis     the hold the order asked for (null: the default), kept to recognise a replay
 * @param locked         what this order still holds locked, by SKU: reserved while RESERVED or AMENDED, and
 *                       allocated but not yet shipped once paid, when the ledger deducts on shipment
 * @param awaitingReplies how many SKUs have not yet answered a reserve request
 * @param shortage       why the order cannot be reserved, once one SKU has said so
 * @param held           payments and cancellations waiting for the order, or for its reservation
 * @param seenEventIds   ids of the payments, cancellations and shipments already taken in, to ignore redeliveries
 * @param sold           what this order took off hand and has not had back, by SKU: its paid units when the
 *                       ledger deducts on payment, its shipped units when it deducts on shipment
 * @param places         where the units it holds or sold are, by SKU, in the order they were allocated: its sold
 *                       units first, then its locked ones (a shipment takes the next, a cancellation the last). A SKU
 *                       missing has all its units at the default place
 */
public record Order(String orderId, OrderStatus status, String placedEventId, List<Line> lines, long placedAt,
                    Long holdMillis, long expiresAt, String reason, long updatedAt, Map<String, Long> locked,
                    int awaitingReplies, String shortage, List<Held> held, List<String> seenEventIds,
                    Map<String, Long> sold, Map<String, List<Allocation>> places) {

    /** A held event and when it arrived, which starts its grace period. */
    public record Held(HeldEvent event, long arrivedAt) {
    }

    public Order {
        lines = List.copyOf(lines);
        // Insertion order kept, so the commands an order sends come out in the same order on every JVM.
        locked = frozen(locked);
        held = List.copyOf(held);
        seenEventIds = List.copyOf(seenEventIds);
        sold = frozen(sold);
        places = frozen(places);
    }

    /** An unmodifiable copy in insertion order; an empty map, as most are on the hot path, is not copied at all. */
    private static <V> Map<String, V> frozen(final Map<String, V> map) {
        return map.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** An order kept at the default place alone, as every version before locations stored it. */
    public Order(final String orderId, final OrderStatus status, final String placedEventId, final List<Line> lines,
                 final long placedAt, final Long holdMillis, final long expiresAt, final String reason,
                 final long updatedAt, final Map<String, Long> locked, final int awaitingReplies,
                 final String shortage, final List<Held> held, final List<String> seenEventIds,
                 final Map<String, Long> sold) {
        this(orderId, status, placedEventId, lines, placedAt, holdMillis, expiresAt, reason, updatedAt, locked,
                awaitingReplies, shortage, held, seenEventIds, sold, Map.of());
    }

    /** An order that has sold nothing it still keeps track of, as every version before per-line returns stored it. */
    public Order(final String orderId, final OrderStatus status, final String placedEventId, final List<Line> lines,
                 final long placedAt, final Long holdMillis, final long expiresAt, final String reason,
                 final long updatedAt, final Map<String, Long> locked, final int awaitingReplies,
                 final String shortage, final List<Held> held, final List<String> seenEventIds) {
        this(orderId, status, placedEventId, lines, placedAt, holdMillis, expiresAt, reason, updatedAt, locked,
                awaitingReplies, shortage, held, seenEventIds, Map.of());
    }

    static Order awaiting(final String orderId, final long now) {
        return new Order(orderId, OrderStatus.AWAITING_ORDER, null, List.of(), 0, null, 0, null, now,
                Map.of(), 0, null, List.of(), List.of());
    }

    /**
     * The lines an outcome of this order carries, so that its last outcome always says where it stands: while it
     * still has units (RESERVED, AMENDED, CONFIRMED, SHIPPED, PARTIALLY_REFUNDED), what it still holds or took off
     * hand and has not had back, a line per place the units are at; otherwise the lines it was placed with.
     */
    public List<Line> outcomeLines() {
        if (!status.isReserved() && !status.isPaid()) {
            return lines;
        }
        final Map<String, Long> kept = new LinkedHashMap<>(locked);
        sold.forEach((sku, quantity) -> kept.merge(sku, quantity, Long::sum));
        return places.isEmpty() ? linesOf(kept) : atPlaces(kept, Map.of());
    }

    /** The order's lines, in their order, with the quantities of {@code quantities}; SKUs without any left out. */
    public List<Line> linesOf(final Map<String, Long> quantities) {
        final List<Line> some = new ArrayList<>();
        for (final Line line : lines) {
            final long quantity = quantities.getOrDefault(line.sku(), 0L);
            if (quantity > 0) {
                some.add(new Line(line.sku(), quantity));
            }
        }
        return some;
    }

    /** What the order still holds locked, a line per place its units are at, in the order of its lines. */
    public List<Line> lockedLines() {
        return atPlaces(locked, sold);
    }

    /** What the order took off hand and has not had back, a line per place the units left from. */
    public List<Line> soldLines() {
        return atPlaces(sold, Map.of());
    }

    /**
     * Each SKU's units of {@code quantities}, split by place, starting after the SKU's first {@code skipped} units
     * in its places (sold units come first there, then locked).
     */
    private List<Line> atPlaces(final Map<String, Long> quantities, final Map<String, Long> skipped) {
        final List<Line> where = new ArrayList<>();
        for (final Line line : linesOf(quantities)) {
            final long from = skipped.getOrDefault(line.sku(), 0L);
            where.addAll(Line.at(line.sku(), line.quantity(), placesOf(line.sku(), from, line.quantity())));
        }
        return where;
    }

    public long quantityOf(final String sku) {
        return lines.stream().filter(l -> l.sku().equals(sku)).mapToLong(Line::quantity).sum();
    }

    boolean hasSeen(final String eventId) {
        return seenEventIds.contains(eventId);
    }

    Order placed(final OrderCommand.PlaceOrder place, final List<Line> summed, final long expiry, final long now) {
        return new Order(orderId, OrderStatus.PENDING, place.eventId(), summed, place.placedAt(),
                place.holdMillis(), expiry, null, now, Map.of(), summed.size(), null, held, seenEventIds, sold, places);
    }

    Order withStatus(final OrderStatus newStatus, final String newReason, final long now) {
        return new Order(orderId, newStatus, placedEventId, lines, placedAt, holdMillis, expiresAt, newReason, now,
                locked, awaitingReplies, shortage, held, seenEventIds, sold, places);
    }

    Order withLocked(final Map<String, Long> newLocked) {
        return new Order(orderId, status, placedEventId, lines, placedAt, holdMillis, expiresAt, reason, updatedAt,
                newLocked, awaitingReplies, shortage, held, seenEventIds, sold, places);
    }

    Order withPlaces(final Map<String, List<Allocation>> newPlaces) {
        return new Order(orderId, status, placedEventId, lines, placedAt, holdMillis, expiresAt, reason, updatedAt,
                locked, awaitingReplies, shortage, held, seenEventIds, sold, newPlaces);
    }

    /** Where units {@code from} to {@code from + count} of a SKU's sequence (sold, then locked) are; empty: default. */
    List<Allocation> placesOf(final String sku, final long from, final long count) {
        return Allocation.slice(places.getOrDefault(sku, List.of()), from, count);
    }

    /** The order without units {@code from} to {@code from + count} of a SKU's places. */
    Order withoutPlaces(final String sku, final long from, final long count) {
        final List<Allocation> runs = places.getOrDefault(sku, List.of());
        if (runs.isEmpty()) {
            return this;
        }
        final Map<String, List<Allocation>> newPlaces = new LinkedHashMap<>(places);
        final List<Allocation> rest = Allocation.without(runs, from, count);
        if (rest.isEmpty()) {
            newPlaces.remove(sku);
        } else {
            newPlaces.put(sku, rest);
        }
        return withPlaces(newPlaces);
    }

    Order withSold(final Map<String, Long> newSold) {
        return new Order(orderId, status, placedEventId, lines, placedAt, holdMillis, expiresAt, reason, updatedAt,
                locked, awaitingReplies, shortage, held, seenEventIds, newSold, places);
    }

    /** The order once {@code answer}'s SKU has answered; its shortage, in words, only when it is the first. */
    Order withReply(final OrderCommand.LineResult answer) {
        if (!answer.reserved()) {
            return replied(locked, shortage != null ? shortage : answer.shortageReason(), places);
        }
        final Map<String, Long> newLocked = new LinkedHashMap<>(locked);
        newLocked.put(answer.sku(), answer.quantity());
        if (answer.allocations().isEmpty()) {
            return replied(newLocked, shortage, places);
        }
        final Map<String, List<Allocation>> newPlaces = new LinkedHashMap<>(places);
        newPlaces.put(answer.sku(), answer.allocations());
        return replied(newLocked, shortage, newPlaces);
    }

    private Order replied(final Map<String, Long> newLocked, final String newShortage,
                          final Map<String, List<Allocation>> newPlaces) {
        return new Order(orderId, status, placedEventId, lines, placedAt, holdMillis, expiresAt, reason, updatedAt,
                newLocked, awaitingReplies - 1, newShortage, held, seenEventIds, sold, newPlaces);
    }

    Order withHeld(final List<Held> newHeld) {
        return new Order(orderId, status, placedEventId, lines, placedAt, holdMillis, expiresAt, reason, updatedAt,
                locked, awaitingReplies, shortage, newHeld, seenEventIds, sold, places);
    }

    Order holding(final HeldEvent event, final long now) {
        final List<Held> newHeld = new ArrayList<>(held);
        newHeld.add(new Held(event, now));
        return withHeld(newHeld).seeing(event.eventId());
    }

    Order seeing(final String eventId) {
        final List<String> seen = new ArrayList<>(seenEventIds);
        seen.add(eventId);
        return new Order(orderId, status, placedEventId, lines, placedAt, holdMillis, expiresAt, reason, updatedAt,
                locked, awaitingReplies, shortage, held, seen, sold, places);
    }
}
