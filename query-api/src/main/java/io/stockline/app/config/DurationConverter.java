package io.stockline.app.config;

import java.time.Duration;

/** Lets every duration flag, of the launcher and the bench, take {@code 15m}, {@code 30s} or ISO-8601 {@code PT15M}. */
public final class DurationConverter extends ParsingConverter<Duration> {

    public DurationConverter() {
        super(Durations::parse);
    }
}
