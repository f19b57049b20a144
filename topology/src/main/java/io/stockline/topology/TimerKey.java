package io.stockline.topology;

import io.stockline.ledger.Timer;

/**
 * A timer as a store key that sorts by due time: {@code <19-digit due millis>|<kind>|<order id>}, so the
 * punctuator reads due timers from the start of the store and stops at the first one in the future.
 */
final class TimerKey {

    private static final char SEPARATOR = '|';

    private TimerKey() {
    }

    static String format(final Timer timer) {
        return String.format("%019d", Math.max(0, timer.dueAt())) + SEPARATOR + timer.kind().name() + SEPARATOR
                + timer.orderId();
    }

    static Timer parse(final String key) {
        final int first = key.indexOf(SEPARATOR);
        final int second = key.indexOf(SEPARATOR, first + 1);
        return new Timer(Long.parseLong(key.substring(0, first)),
                Timer.Kind.valueOf(key.substring(first + 1, second)), key.substring(second + 1));
    }
}
