package io.stockline.ledger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A quantity of one SKU. */
public record Line(String sku, long quantity) {

    /** Sums lines of the same SKU, keeping the order in which each SKU first appears. */
    public static List<Line> summed(final List<Line> lines) {
        final Map<String, Long> bySku = new LinkedHashMap<>();
        for (final Line line : lines) {
            bySku.merge(line.sku(), line.quantity(), Math::addExact);
        }
        return bySku.entrySet().stream().map(e -> new Line(e.getKey(), e.getValue())).toList();
    }
}
