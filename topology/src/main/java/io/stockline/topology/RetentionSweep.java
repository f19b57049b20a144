package io.stockline.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Walks a store a slice at a time, round and round, and deletes what may be forgotten; each delete is a
 * tombstone in the store's changelog, so a restore forgets it too. No index by age is kept, which would cost a
 * second write for every order: instead each slice is sized so that a whole pass takes at most
 * {@code passMillis}, and an entry outlives its retention by at most one pass.
 */
final class RetentionSweep<V> {

    /** The fewest entries one slice looks at, so a small store is swept in a few slices. */
    static final int MIN_SLICE = 100;
    /** The most entries one slice looks at, so a sweep never stalls the task for long. */
    static final int MAX_SLICE = 50_000;

    /** Whether the value stored under a key may be forgotten at {@code now}. */
    interface Forgettable<V> {
        boolean test(V value, long now);
    }

    private final KeyValueStore<String, V> store;
    private final Forgettable<V> forgettable;
    private final long passMillis;
    /** The last key the previous slice looked at; null to start from the beginning. */
    private String resumeAfter;

    RetentionSweep(final KeyValueStore<String, V> store, final Forgettable<V> forgettable, final long passMillis) {
        this.store = store;
        this.forgettable = forgettable;
        this.passMillis = passMillis;
    }

    /** Looks at the next slice, deletes what may go, and returns how many entries it deleted. */
    int sweep(final long now, final long intervalMillis) {
        final List<String> forget = new ArrayList<>();
        final long slice = sliceSize(intervalMillis);
        long seen = 0;
        try (KeyValueIterator<String, V> entries = store.range(resumeAfter, null)) {
            while (seen < slice && entries.hasNext()) {
                final KeyValue<String, V> entry = entries.next();
                if (entry.key.equals(resumeAfter)) {
                    continue;
                }
                seen++;
                resumeAfter = entry.key;
                if (forgettable.test(entry.value, now)) {
                    forget.add(entry.key);
                }
            }
            if (!entries.hasNext()) {
                resumeAfter = null;
            }
        }
        forget.forEach(store::delete);
        return forget.size();
    }

    /** Enough entries per slice that a pass over the store's estimated size takes no longer than a pass. */
    private long sliceSize(final long intervalMillis) {
        final double share = (double) intervalMillis / passMillis;
        final long wanted = (long) Math.ceil(store.approximateNumEntries() * share);
        return Math.max(MIN_SLICE, Math.min(MAX_SLICE, wanted));
    }
}
