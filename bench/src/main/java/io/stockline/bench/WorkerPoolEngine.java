package io.stockline.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The shape a fair client of a database gives itself: several connections, each owning the orders whose
 * index falls to it (so one order's events are applied in the order they were sent, as Kafka's
 * partitioning does for the ledger), each taking up to a batch of queued events at a time, plus one
 * reaper that expires due holds as often as the ledger's own timer does.
 */
abstract class WorkerPoolEngine implements Engine {

    private static final int QUEUE_CAPACITY = 1 << 16;

    private final String name;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final List<BlockingQueue<Long>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean sending = true;
    private volatile boolean closing;
    private long[] placedAtMillis;
    protected Scenario scenario;
    protected OutcomeLog log;
    /** The server's process id, when it runs on this machine and says which it is. */
    protected OptionalLong pid = OptionalLong.empty();

    protected WorkerPoolEngine(final String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final OptionalLong servicePid() {
        return pid;
    }

    /** Whether {@code host} is this machine, where the server's CPU and memory can be measured. */
    protected static boolean isLoopback(final String host) {
        try {
            return host != null && !host.isEmpty() && InetAddress.getByName(host).isLoopbackAddress();
        } catch (final UnknownHostException e) {
            return false;
        }
    }

    /** Starts {@code workers} connections taking up to {@code batch} events each, and the reaper. */
    protected final void startWorkers(final Scenario run, final OutcomeLog outcomes, final int workers,
                                      final int batch, final long reapEveryMillis) {
        scenario = run;
        log = outcomes;
        placedAtMillis = new long[run.orderCount()];
        for (int i = 0; i < workers; i++) {
            final int worker = i;
            final BlockingQueue<Long> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
            queues.add(queue);
            threads.add(start(ResourceProbe.DRIVER_PREFIX + name() + "-" + i, () -> work(worker, queue, batch)));
        }
        threads.add(start(ResourceProbe.DRIVER_PREFIX + name() + "-reaper", () -> reap(reapEveryMillis)));
    }

    private static Thread start(final String name, final Runnable body) {
        final Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public final void send(final long event) {
        final int order = Scenario.orderOf(event);
        if (Scenario.kindOf(event) == Scenario.Kind.PLACE) {
            placedAtMillis[order] = System.currentTimeMillis();
        }
        try {
            queues.get(order % queues.size()).put(event);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        }
    }

    @Override
    public final void endOfEvents() {
        sending = false;
    }

    /** When the shop placed the order: its hold counts from here. */
    protected final long placedAt(final int order) {
        return placedAtMillis[order];
    }

    private void work(final int worker, final BlockingQueue<Long> queue, final int batchSize) {
        final List<Long> batch = new ArrayList<>(batchSize);
        try {
            while (!closing && failure.get() == null && (sending || !queue.isEmpty())) {
                final Long first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                process(worker, batch);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            fail(name() + " worker " + worker + " failed: " + e);
        }
    }

    private void reap(final long everyMillis) {
        try {
            while (!closing && failure.get() == null) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(everyMillis));
                reapDue(System.currentTimeMillis());
            }
        } catch (final RuntimeException e) {
            if (!closing) {
                fail(name() + " reaper failed: " + e);
            }
        }
    }

    protected final void fail(final String why) {
        failure.compareAndSet(null, why);
    }

    @Override
    public final Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Applies a batch of one worker's events, in order, and records their outcomes. */
    protected abstract void process(int worker, List<Long> batch);

    /** Expires the holds that are due at {@code nowMillis}. */
    protected abstract void reapDue(long nowMillis);

    /** Stops the workers and the reaper; subclasses close their connections after calling this. */
    protected final void stopWorkers() {
        closing = true;
        for (final Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
