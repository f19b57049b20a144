package io.stockline.app.config;

import java.util.function.Function;
import picocli.CommandLine;

/** A flag's converter from a parse function whose {@link IllegalArgumentException} says what was wrong. */
public abstract class ParsingConverter<T> implements CommandLine.ITypeConverter<T> {

    private final Function<String, T> parse;

    protected ParsingConverter(final Function<String, T> parse) {
        this.parse = parse;
    }

    @Override
    public final T convert(final String value) {
        try {
            return parse.apply(value);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
