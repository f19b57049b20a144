package io.stockline.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The shapes of traffic {@code stockline bench} can generate. */
public enum Workload {
    /** One SKU, far more single-unit orders than units, every order from its own buyer. */
    FLASH_SALE("flash-sale"),
    /** Many SKUs with Zipf-skewed popularity, multi-line orders, and every way an order can end. */
    MIXED("mixed");

    private final String label;

    Workload(final String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    static Workload parse(final String text) {
        for (final Workload workload : values()) {
            if (workload.label.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return workload;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + text + "': expected one of "
                + Arrays.stream(values()).map(Workload::label).collect(Collectors.joining(", ")));
    }
}
