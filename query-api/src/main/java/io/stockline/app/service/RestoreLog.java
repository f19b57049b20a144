package io.stockline.app.service;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Says, in one line per store partition, what a restore of the ledger's state cost: which store, which partition
 * (task {@code 0_p} holds partition {@code p}), how many records were read back from its changelog and how long
 * that took. A partition whose store was already up to date restored nothing and gets no line, so a clean
 * restart is quiet and a restart after a crash, which under exactly-once rebuilds its stores, says so.
 */
final class RestoreLog implements StateRestoreListener {

    private final Consumer<String> sink;
    // Called from the threads that restore (the state updater, or stream threads without it): one entry per
    // changelog partition being restored.
    private final Map<TopicPartition, Long> startedNanos = new ConcurrentHashMap<>();

    /** @param sink where each line goes: the service's INFO log, or a test's list */
    RestoreLog(final Consumer<String> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public void onRestoreStart(final TopicPartition changelog, final String store, final long startingOffset,
                               final long endingOffset) {
        startedNanos.put(changelog, System.nanoTime());
    }

    @Override
    public void onBatchRestored(final TopicPartition changelog, final String store, final long batchEndOffset,
                                final long restored) {
        // One line at the end is enough; a batch is a few hundred records.
    }

    @Override
    public void onRestoreEnd(final TopicPartition changelog, final String store, final long restored) {
        report("Restored", changelog, store, restored, "");
    }

    /** The partition moved to another instance before its restore ended; that instance restores it again. */
    @Override
    public void onRestoreSuspended(final TopicPartition changelog, final String store, final long restored) {
        report("Stopped restoring", changelog, store, restored, " (the partition moved to another instance)");
    }

    private void report(final String what, final TopicPartition changelog, final String store, final long restored,
                        final String why) {
        final Long started = startedNanos.remove(changelog);
        if (restored == 0 || started == null) {
            return;
        }
        final Duration took = Duration.ofNanos(System.nanoTime() - started);
        sink.accept(what + " " + store + " partition " + changelog.partition() + ": " + restored + " records in "
                + took.toMillis() + " ms" + why);
    }
}
