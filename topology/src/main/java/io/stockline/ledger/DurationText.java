package io.stockline.ledger;

import java.time.Duration;

/** A duration as the flags take it ({@code 30d}, {@code 15m}, {@code 250ms}), for messages people read. */
public final class DurationText {

    private static final long DAY = 86_400_000;
    private static final long HOUR = 3_600_000;
    private static final long MINUTE = 60_000;
    private static final long SECOND = 1_000;

    private DurationText() {
    }

    /** The largest unit that divides it exactly: {@code 30d} rather than {@code PT720H}. */
    public static String of(final Duration duration) {
        final long millis = duration.toMillis();
        if (millis > 0 && millis % DAY == 0) {
            return millis / DAY + "d";
        }
        if (millis > 0 && millis % HOUR == 0) {
            return millis / HOUR + "h";
        }
        if (millis > 0 && millis % MINUTE == 0) {
            return millis / MINUTE + "m";
        }
        if (millis % SECOND == 0) {
            return millis / SECOND + "s";
        }
        return millis + "ms";
    }
}
