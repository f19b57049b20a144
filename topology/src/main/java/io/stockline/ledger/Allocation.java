package io.stockline.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * Units of one SKU an order took from one {@link Place}. An order keeps, per SKU, the places of every unit it still
 * holds or sold, in the order they were allocated: an empty list means every unit is at {@link Place#DEFAULT}, which
 * is how a SKU without locations or batches (and every order stored before them) is kept at no extra cost.
 */
public record Allocation(Place place, long quantity) {

    public Allocation {
        if (quantity <= 0) {
            throw new IllegalArgumentException("an allocation has at least one unit, got " + quantity);
        }
    }

    /** Units {@code from} to {@code from + count} of the sequence {@code runs} describes; empty stays empty. */
    public static List<Allocation> slice(final List<Allocation> runs, final long from, final long count) {
        if (runs.isEmpty()) {
            return List.of();
        }
        final List<Allocation> part = new ArrayList<>();
        long start = 0;
        for (final Allocation run : runs) {
            final long lo = Math.max(start, from);
            final long hi = Math.min(start + run.quantity(), from + count);
            if (hi > lo) {
                part.add(new Allocation(run.place(), hi - lo));
            }
            start += run.quantity();
        }
        return part;
    }

    /** The sequence without units {@code from} to {@code from + count}, neighbours at one place merged. */
    public static List<Allocation> without(final List<Allocation> runs, final long from, final long count) {
        final long total = total(runs);
        final List<Allocation> rest = new ArrayList<>(slice(runs, 0, from));
        rest.addAll(slice(runs, from + count, Math.max(0, total - from - count)));
        return merged(rest);
    }

    /** Neighbouring runs at the same place as one, and nothing left at all when every unit is at the default place. */
    public static List<Allocation> merged(final List<Allocation> runs) {
        final List<Allocation> out = new ArrayList<>();
        for (final Allocation run : runs) {
            final int last = out.size() - 1;
            if (last >= 0 && out.get(last).place().equals(run.place())) {
                out.set(last, new Allocation(run.place(), out.get(last).quantity() + run.quantity()));
            } else {
                out.add(run);
            }
        }
        return out.stream().allMatch(run -> run.place().isDefault()) ? List.of() : List.copyOf(out);
    }

    /** The runs of {@code quantity} units: {@code runs} itself, or all at the default place when it is empty. */
    public static List<Allocation> orDefault(final List<Allocation> runs, final long quantity) {
        return runs.isEmpty() ? List.of(new Allocation(Place.DEFAULT, quantity)) : runs;
    }

    public static long total(final List<Allocation> runs) {
        return runs.stream().mapToLong(Allocation::quantity).sum();
    }
}
