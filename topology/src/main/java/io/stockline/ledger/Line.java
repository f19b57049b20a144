package io.stockline.ledger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A quantity of one SKU.
 *
 * @param location in an order's line, the location it is pinned to (null: the ledger allocates); in an outcome's
 *                 line, where the units are (null: the default location)
 * @param batch    only in an outcome's line: the batch the units came from; null outside any batch
 */
public record Line(String sku, long quantity, String location, String batch) {

    public Line(final String sku, final long quantity) {
        this(sku, quantity, null, null);
    }

    /**
     * Sums lines of the same SKU, keeping the order in which each SKU first appears, and its pin. The contract's
     * checks refuse an order that pins one SKU to two locations before it gets here.
     */
    public static List<Line> summed(final List<Line> lines) {
        if (lines.size() <= 1) {
            return List.copyOf(lines); // most orders have one line: nothing to sum
        }
        final Map<String, Line> bySku = new LinkedHashMap<>();
        for (final Line line : lines) {
            bySku.merge(line.sku(), line, (a, b) -> new Line(a.sku(), Math.addExact(a.quantity(), b.quantity()),
                    a.location() != null ? a.location() : b.location(), null));
        }
        return List.copyOf(bySku.values());
    }

    /** The lines of {@code runs}, units of {@code sku} at each place; one line without a place when all are default. */
    public static List<Line> at(final String sku, final long quantity, final List<Allocation> runs) {
        if (runs.isEmpty()) {
            return List.of(new Line(sku, quantity));
        }
        final List<Line> lines = new ArrayList<>(runs.size());
        for (final Allocation run : runs) {
            lines.add(new Line(sku, run.quantity(), run.place().isDefault() ? null : run.place().location(),
                    run.place().batch()));
        }
        return Collections.unmodifiableList(lines);
    }
}
