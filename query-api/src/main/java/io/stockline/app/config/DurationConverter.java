package io.stockline.app.config;

import java.time.Duration;
import picocli.CommandLine;

/** Lets every duration flag, of the launcher and the bench, take {@code 15m}, {@code 30s} or ISO-8601 {@code PT15M}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(final String value) {
        try {
            return Durations.parse(value);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
