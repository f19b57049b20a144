package io.stockline.reporting;

import java.util.ArrayList;
import java.util.List;

/**
 * What reconcile found: how many SKUs it checked and every difference, printable as a table.
 *
 * @param skus        SKUs checked: those in MySQL, in the ledger, or with movements
 * @param differences empty when MySQL and the ledger agree and every rule holds
 */
public record ReconcileReport(int skus, List<Difference> differences) {

    private static final List<String> HEADER = List.of("SKU", "CHECK", "MYSQL", "EXPECTED");

    public ReconcileReport {
        differences = List.copyOf(differences);
    }

    public boolean agrees() {
        return differences.isEmpty();
    }

    /** The differences as an aligned text table, then a one-line summary. */
    public String render() {
        final StringBuilder out = new StringBuilder();
        if (!agrees()) {
            final List<List<String>> rows = new ArrayList<>();
            rows.add(HEADER);
            differences.forEach(d -> rows.add(List.of(d.sku(), d.check(), d.found(), d.expected())));
            final int[] widths = new int[HEADER.size()];
            rows.forEach(row -> {
                for (int i = 0; i < widths.length; i++) {
                    widths[i] = Math.max(widths[i], row.get(i).length());
                }
            });
            for (final List<String> row : rows) {
                final StringBuilder line = new StringBuilder();
                for (int i = 0; i < widths.length; i++) {
                    line.append(String.format("%-" + widths[i] + "s", row.get(i))).append("  ");
                }
                out.append(line.toString().stripTrailing()).append('\n');
            }
        }
        out.append(summary()).append('\n');
        return out.toString();
    }

    public String summary() {
        return agrees()
                ? "checked " + skus + " SKUs: MySQL agrees with the ledger, and every SKU's invariants and movements hold"
                : "checked " + skus + " SKUs: " + differences.size() + " difference"
                        + (differences.size() == 1 ? "" : "s");
    }
}
