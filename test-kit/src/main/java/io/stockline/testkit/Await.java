package io.stockline.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes: the tests' only way to wait for something. */
public final class Await {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private Await() {
    }

    /** Returns once {@code condition} holds; fails with {@code what} when it still does not after {@code within}. */
    public static void until(final String what, final Duration within, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + within.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
