package io.stockline.app.config;

import io.stockline.ledger.DurationText;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as people type them on a command line: {@code 15m}, {@code 30s}, or ISO-8601 {@code PT15M}. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(final String text) {
        final String trimmed = text.trim().toLowerCase(Locale.ROOT);
        final Matcher shortForm = SHORT.matcher(trimmed);
        if (shortForm.matches()) {
            return ofUnit(Long.parseLong(shortForm.group(1)), shortForm.group(2));
        }
        try {
            return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration (use e.g. 500ms, 30s, 15m, 2h, 1d or ISO-8601 PT15M)");
        }
    }

    /** The short form back, for help texts and banners: {@code PT15M} becomes {@code 15m}. */
    public static String format(final Duration duration) {
        return DurationText.of(duration);
    }

    private static Duration ofUnit(final long amount, final String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
