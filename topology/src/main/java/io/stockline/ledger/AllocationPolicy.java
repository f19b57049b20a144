package io.stockline.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the stock side picks where an order's units come from. A line pinned to a location takes its units there;
 * any other takes them from the {@code locations} in their order, the first that has enough, or, when {@code
 * splitLines}, from one location after another. Within a location batches go first-expiry-first-out
 * ({@link Place#FEFO}) and a batch past its expiry is never taken.
 *
 * @param locations  every location the ledger knows, in priority order; an event naming any other is refused
 * @param splitLines whether one line may take units from more than one location
 */
public record AllocationPolicy(List<String> locations, boolean splitLines) {

    /** One location, {@code default}: the ledger as it was before locations. */
    public static final AllocationPolicy DEFAULT = new AllocationPolicy(List.of(Place.DEFAULT_LOCATION), false);

    public AllocationPolicy {
        locations = List.copyOf(locations);
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("at least one location is needed");
        }
        if (locations.stream().distinct().count() != locations.size()) {
            throw new IllegalArgumentException("a location is listed twice: " + locations);
        }
        locations.forEach(location -> Objects.requireNonNull(location, "location"));
    }

    public boolean knows(final String location) {
        return locations.contains(location);
    }

    /**
     * The parts grouped by location: locations in priority order (any the ledger does not know after, by name), each
     * location's parts first-expiry-first-out. The order allocation takes them in, and the order they are shown in.
     */
    public Map<String, List<PlaceLevel>> byLocation(final List<PlaceLevel> parts) {
        final List<PlaceLevel> sorted = new ArrayList<>(parts);
        sorted.sort(Comparator.comparingInt((PlaceLevel part) -> rank(part.place().location()))
                .thenComparing(part -> part.place().location())
                .thenComparing(PlaceLevel::place, Place.FEFO));
        final Map<String, List<PlaceLevel>> grouped = new LinkedHashMap<>();
        sorted.forEach(part -> grouped.computeIfAbsent(part.place().location(), l -> new ArrayList<>()).add(part));
        return grouped;
    }

    /** Where a location comes in the priority order; a location the ledger does not know comes after all. */
    public int rank(final String location) {
        final int index = locations.indexOf(location);
        return index < 0 ? Integer.MAX_VALUE : index;
    }
}
