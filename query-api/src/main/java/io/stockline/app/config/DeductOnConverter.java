package io.stockline.app.config;

import io.stockline.ledger.DeductOn;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code --deduct-on payment|shipment}, in any case; anything else names the accepted values. */
public final class DeductOnConverter extends ParsingConverter<DeductOn> {

    public DeductOnConverter() {
        super(DeductOnConverter::parse);
    }

    public static DeductOn parse(final String text) {
        for (final DeductOn when : DeductOn.values()) {
            if (when.name().equalsIgnoreCase(text.strip())) {
                return when;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not when stock is deducted: expected one of "
                + Arrays.stream(DeductOn.values()).map(DeductOnConverter::format).collect(Collectors.joining(", ")));
    }

    /** How the flag spells it: {@code payment}, {@code shipment}. */
    public static String format(final DeductOn when) {
        return when.name().toLowerCase(Locale.ROOT);
    }
}
