package io.stockline.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The timers a task waits on, in memory, soonest first. They are not stored: every timer follows from an
 * order's state ({@link OrderMachine#timersOf}), so a task rebuilds its queue from the order store when it
 * starts, and a timer costs no store write and no changelog record when it is set or cleared.
 */
public final class TimerQueue {

    private static final Comparator<Timer> DUE_FIRST = Comparator.comparingLong(Timer::dueAt)
            .thenComparing(Timer::kind).thenComparing(Timer::orderId);

    private final TreeSet<Timer> timers = new TreeSet<>(DUE_FIRST);

    public void set(final Timer timer) {
        timers.add(timer);
    }

    public void clear(final Timer timer) {
        timers.remove(timer);
    }

    /** Takes out the timers due at {@code now}, soonest first, at most {@code max} of them. */
    public List<Timer> takeDue(final long now, final int max) {
        final List<Timer> due = new ArrayList<>();
        while (due.size() < max && !timers.isEmpty() && timers.first().dueAt() <= now) {
            due.add(timers.pollFirst());
        }
        return due;
    }
}
