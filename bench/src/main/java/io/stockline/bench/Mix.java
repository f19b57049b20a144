package io.stockline.bench;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How the orders of the mixed workload end, in percent of orders: {@code pay=60,fail=5,...}. What the
 * named shares leave over is {@link Intention#HOLD}: reserved and never settled during the run.
 *
 * <p>An intention is named in lower case with dashes ({@code partial-cancel}). The default takes in the
 * per-line steps of issue #21 (partial cancels, partial returns, shipments); {@link #BEFORE_21} is the mix
 * every figure before them was measured with.
 *
 * @param percents the share of each intention; they add up to 100
 */
record Mix(Map<Intention, Integer> percents) {

    static final String DEFAULT =
            "pay=40,ship=10,partial-cancel=5,partial-refund=5,fail=8,cancel=7,refund=5,expire=10,hold=10";

    /** The default mix until partial cancels, partial returns and shipments came in (#21). */
    static final String BEFORE_21 = "pay=60,fail=8,cancel=7,refund=5,expire=10,hold=10";

    Mix {
        percents = Map.copyOf(percents);
        final int total = percents.values().stream().mapToInt(Integer::intValue).sum();
        if (total != 100) {
            throw new IllegalArgumentException("the mix must add up to 100 percent, got " + total);
        }
    }

    /** Parses {@code name=percent,...}; names are the intentions in lower case; a missing hold share takes the rest. */
    static Mix parse(final String text) {
        final Map<Intention, Integer> percents = new EnumMap<>(Intention.class);
        for (final String part : text.split(",")) {
            final String[] pair = part.trim().split("=");
            if (pair.length != 2) {
                throw new IllegalArgumentException("a mix is name=percent,..., got '" + part.trim() + "'");
            }
            final Intention intention;
            final int percent;
            try {
                intention = Intention.valueOf(pair[0].trim().toUpperCase(Locale.ROOT).replace('-', '_'));
                percent = Integer.parseInt(pair[1].trim());
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot read '" + part.trim() + "' of the mix: names are "
                        + names() + ", shares whole percents", e);
            }
            if (percent < 0) {
                throw new IllegalArgumentException("a share of the mix must not be negative, got " + part.trim());
            }
            percents.put(intention, percent);
        }
        final int named = percents.values().stream().mapToInt(Integer::intValue).sum();
        if (!percents.containsKey(Intention.HOLD) && named <= 100) {
            percents.put(Intention.HOLD, 100 - named);
        }
        return new Mix(percents);
    }

    /** Whether some orders of the mix have this intention. */
    boolean has(final Intention intention) {
        return percents.getOrDefault(intention, 0) > 0;
    }

    /** The intention for a uniform draw in [0, 100). */
    Intention pick(final int draw) {
        int upTo = 0;
        for (final Intention intention : Intention.values()) {
            upTo += percents.getOrDefault(intention, 0);
            if (draw < upTo) {
                return intention;
            }
        }
        return Intention.HOLD;
    }

    @Override
    public String toString() {
        return percents.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> name(e.getKey()) + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** How the mix names an intention: {@code partial-cancel}. */
    static String name(final Intention intention) {
        return intention.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String names() {
        return java.util.Arrays.stream(Intention.values()).map(Mix::name).collect(Collectors.joining(", "));
    }
}
