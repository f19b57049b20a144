package io.stockline.bench;

import io.stockline.app.config.DurationConverter;
import io.stockline.app.UserError;
import io.stockline.app.http.HttpApi;
import io.stockline.schemas.api.ApiPaths;
import io.stockline.schemas.api.LedgerHttpClient;
import io.stockline.schemas.api.StockPage;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stockline bench-queries}: an open-loop load of {@code GET /stock/{sku}} on one instance at a fixed
 * rate. Latency counts from when each request was due, not when it was sent, so a stalled server shows up
 * in the figures instead of slowing the load down (no coordinated omission). Answers served by the asked
 * instance and those it forwarded to the owner are reported apart.
 */
@Command(name = "bench-queries",
        description = "Load GET /stock/{sku} on a running instance at a fixed rate and report latency, split into "
                + "answers the instance gave itself and answers it forwarded to the owning instance.")
public final class QueryBenchCommand implements Callable<Integer> {

    private static final long MAX_TRACKED_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int PAGE_SIZE = 1000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--http-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "The instance to load. Default: ${DEFAULT-VALUE}.")
    private URI target;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "2000",
            description = "Requests per second. Default: ${DEFAULT-VALUE}.")
    private int rate;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to measure, after a warm-up of a fifth as long. Default: ${DEFAULT-VALUE}.")
    private Duration duration;

    @Option(names = "--skus", paramLabel = "N", defaultValue = "1000",
            description = "How many of the ledger's SKUs to ask for, round robin. Default: ${DEFAULT-VALUE}.")
    private int skuCount;

    /** HTTP/1.1 as most clients speak it: no h2c upgrade offered on every request. */
    @Option(names = "--connections", paramLabel = "N", defaultValue = "16",
            description = "Connections the load is spread over. Default: ${DEFAULT-VALUE}.")
    private int connections;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public Integer call() {
        if (rate < 1 || skuCount < 1 || connections < 1) {
            throw new UserError("--rate, --skus and --connections must be at least 1");
        }
        final List<String> skus = discoverSkus();
        final PrintWriter out = spec.commandLine().getOut();
        run(skus, duration.dividedBy(5), new Results());
        final Results results = new Results();
        run(skus, duration, results);
        results.print(out, rate, duration, target);
        out.flush();
        return results.errors.get() == 0 ? 0 : 1;
    }

    /**
     * Request i is due at start + i / rate. Each of a fixed set of connections takes every n-th request and
     * sends it when due, or at once when it is already late; its latency counts from when it was due, so a
     * slow server cannot hide behind a load that politely waits (as wrk2 does).
     */
    private void run(final List<String> skus, final Duration length, final Results results) {
        final long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        final long start = System.nanoTime();
        final long end = start + length.toNanos();
        final List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            final int first = w;
            final Thread worker = new Thread(() -> {
                for (long i = first; start + i * interval < end; i += connections) {
                    final long due = start + i * interval;
                    final long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    send(skus.get((int) (i % skus.size())), due, results);
                }
            }, "bench-" + w);
            worker.start();
            workers.add(worker);
        }
        for (final Thread worker : workers) {
            try {
                worker.join();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void send(final String sku, final long due, final Results results) {
        try {
            results.record(due, client.send(request(sku), HttpResponse.BodyHandlers.discarding()), null);
        } catch (final java.io.IOException e) {
            results.record(due, null, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest request(final String sku) {
        return HttpRequest.newBuilder(target.resolve(ApiPaths.stock(sku))).timeout(TIMEOUT).build();
    }

    private List<String> discoverSkus() {
        final LedgerHttpClient ledger = new LedgerHttpClient(target, client, TIMEOUT);
        final List<String> skus = new ArrayList<>();
        String after = null;
        while (skus.size() < skuCount) {
            final StockPage page = page(ledger, after);
            page.items().forEach(item -> skus.add(item.sku()));
            after = page.next();
            if (after == null) {
                break;
            }
        }
        if (skus.isEmpty()) {
            throw new UserError("the ledger at " + target + " has no SKUs to ask for: add stock first");
        }
        return skus.subList(0, Math.min(skuCount, skus.size()));
    }

    private StockPage page(final LedgerHttpClient ledger, final String after) {
        try {
            final LedgerHttpClient.Answer<StockPage> answer = ledger.stockPage(after, PAGE_SIZE);
            return answer.body().orElseThrow(() -> new UserError("GET " + ApiPaths.STOCK + " on " + target
                    + " answered " + answer.status()));
        } catch (final java.io.IOException e) {
            throw new UserError("cannot reach " + target + ": " + e.getMessage(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    /** Latencies of local and forwarded answers, and the count of errors. */
    private final class Results {
        private final Recorder local = new Recorder(MAX_TRACKED_NANOS, 3);
        private final Recorder forwarded = new Recorder(MAX_TRACKED_NANOS, 3);
        private final AtomicLong errors = new AtomicLong();
        private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> errorKinds =
                new java.util.concurrent.ConcurrentHashMap<>();

        Void record(final long intended, final HttpResponse<Void> response, final Throwable error) {
            final long latency = Math.min(System.nanoTime() - intended, MAX_TRACKED_NANOS);
            if (error != null || response.statusCode() != 200) {
                errors.incrementAndGet();
                final String kind = error != null ? rootCause(error).getClass().getSimpleName()
                        : "HTTP " + response.statusCode();
                errorKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                return null;
            }
            final String servedBy = response.headers().firstValue(HttpApi.SERVED_BY).orElse("");
            final boolean self = servedBy.equals(target.getHost() + ":" + target.getPort());
            (self ? local : forwarded).recordValue(latency);
            return null;
        }

        void print(final PrintWriter out, final int rate, final Duration duration, final URI target) {
            out.printf("GET /stock/{sku} on %s at %d requests/s for %s (open loop)%n", target, rate, duration);
            out.printf("%-10s %10s %9s %9s %9s %9s%n", "answered", "requests", "p50 ms", "p99 ms", "p99.9 ms",
                    "max ms");
            row(out, "locally", local.getIntervalHistogram());
            row(out, "forwarded", forwarded.getIntervalHistogram());
            out.printf("errors: %d %s%n", errors.get(), errorKinds.isEmpty() ? "" : errorKinds);
        }

        private void row(final PrintWriter out, final String name, final Histogram histogram) {
            out.printf("%-10s %10d %9.2f %9.2f %9.2f %9.2f%n", name, histogram.getTotalCount(),
                    millis(histogram.getValueAtPercentile(50)), millis(histogram.getValueAtPercentile(99)),
                    millis(histogram.getValueAtPercentile(99.9)), millis(histogram.getMaxValue()));
        }

        private Throwable rootCause(final Throwable error) {
            Throwable cause = error;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            return cause;
        }

        private double millis(final long nanos) {
            return nanos / 1_000_000.0;
        }
    }
}
