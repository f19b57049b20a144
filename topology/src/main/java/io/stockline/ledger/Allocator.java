package io.stockline.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Picks the places a reservation takes its units from, by an {@link AllocationPolicy}: pure, no Kafka. A SKU kept at
 * the default place alone is the common case and costs one comparison, as it did before locations.
 */
final class Allocator {

    /**
     * @param allocations where the units come from, in the order taken; empty when they fit at the default place
     *                    alone, and when they do not fit
     * @param reservable  every unit of the SKU that could be reserved now, wherever it is
     * @param reason      why the units do not fit, when that is more than too little stock in all; null otherwise
     */
    record Result(boolean fits, List<Allocation> allocations, long reservable, String reason) {
    }

    private Allocator() {
    }

    static Result allocate(final StockLevel level, final long quantity, final String pin,
                           final AllocationPolicy policy, final long now) {
        final String sku = level.sku();
        if (!level.isSplit() && (pin == null || pin.equals(Place.DEFAULT_LOCATION))) {
            return new Result(level.canReserve(quantity), List.of(), level.available(), null);
        }
        final Map<String, List<PlaceLevel>> byLocation = reservableByLocation(level, policy, now);
        final long reservable = byLocation.values().stream().flatMap(List::stream)
                .mapToLong(part -> part.reservableAt(now)).sum();
        if (pin != null) {
            final List<PlaceLevel> there = byLocation.getOrDefault(pin, List.of());
            final long atPin = sum(there, now);
            return atPin >= quantity ? new Result(true, take(there, quantity, now), reservable, null)
                    : new Result(false, List.of(), reservable, "insufficient stock for sku " + sku + " at location "
                            + pin + ": requested " + quantity + ", available " + atPin);
        }
        if (reservable < quantity) {
            return new Result(false, List.of(), reservable, null);
        }
        if (policy.splitLines()) {
            final List<PlaceLevel> all = byLocation.values().stream().flatMap(List::stream).toList();
            return new Result(true, take(all, quantity, now), reservable, null);
        }
        long most = 0;
        for (final List<PlaceLevel> there : byLocation.values()) {
            final long atLocation = sum(there, now);
            if (atLocation >= quantity) {
                return new Result(true, take(there, quantity, now), reservable, null);
            }
            most = Math.max(most, atLocation);
        }
        return new Result(false, List.of(), reservable, Outcome.shortage(sku, quantity, reservable)
                + ", at most " + most + " at one location (lines are not split across locations)");
    }

    /** The parts with units to reserve, by location in the policy's order, each location's first-expiry first. */
    private static Map<String, List<PlaceLevel>> reservableByLocation(final StockLevel level,
                                                                      final AllocationPolicy policy, final long now) {
        return policy.byLocation(level.parts().stream().filter(part -> part.reservableAt(now) > 0).toList());
    }

    private static List<Allocation> take(final List<PlaceLevel> parts, final long quantity, final long now) {
        final List<Allocation> taken = new ArrayList<>();
        long left = quantity;
        for (final PlaceLevel part : parts) {
            final long some = Math.min(left, part.reservableAt(now));
            if (some > 0) {
                taken.add(new Allocation(part.place(), some));
                left -= some;
            }
        }
        return Allocation.merged(taken);
    }

    private static long sum(final List<PlaceLevel> parts, final long now) {
        return parts.stream().mapToLong(part -> part.reservableAt(now)).sum();
    }
}
