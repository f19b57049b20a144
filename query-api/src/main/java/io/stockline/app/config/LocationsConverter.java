package io.stockline.app.config;

import io.stockline.ledger.AllocationPolicy;
import io.stockline.topology.ContractRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --locations a,b,c}: every location the ledger knows, in the order it allocates from. Each name is an id as
 * the contract's ids are (1 to 256 printable characters), each listed once; spaces around a comma are ignored.
 *
 * <p>It converts to a policy that does not split lines, not to a list: picocli would take a list-typed option for
 * one repeated flag. {@code --split-lines} is applied to it afterwards.
 */
public final class LocationsConverter extends ParsingConverter<AllocationPolicy> {

    public LocationsConverter() {
        super(text -> new AllocationPolicy(parse(text), false));
    }

    public static List<String> parse(final String text) {
        final List<String> locations = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        // -1 keeps trailing empty names, so "a," is refused like "a,,b".
        for (final String part : text.split(",", -1)) {
            final String location = part.strip();
            final String problem = location.isEmpty() ? "a location is empty"
                    : ContractRules.idProblem("location '" + abbreviate(location) + "'", location);
            if (problem != null) {
                throw new IllegalArgumentException(problem + " in --locations '" + abbreviate(text) + "'");
            }
            if (!seen.add(location)) {
                throw new IllegalArgumentException("location '" + abbreviate(location) + "' is listed twice in "
                        + "--locations '" + abbreviate(text) + "'");
            }
            locations.add(location);
        }
        return List.copyOf(locations);
    }

    /** How the flag spells a policy's locations: {@code a,b,c}. */
    public static String format(final AllocationPolicy policy) {
        return String.join(",", policy.locations());
    }

    private static String abbreviate(final String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
