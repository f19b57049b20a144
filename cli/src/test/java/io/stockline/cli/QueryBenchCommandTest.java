package io.stockline.cli;

import io.stockline.app.http.FakeQueries;
import io.stockline.app.http.HttpApi;
import io.stockline.app.http.HttpMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.stockline.cli.InProcessCli;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code stockline bench-queries} against a real HTTP server: it finds the SKUs through the paged
 * listing, sends exactly rate x duration requests in the measured phase, asks for every SKU it found, and
 * tells a server with nothing to ask for, or none at all, in one line.
 */
class QueryBenchCommandTest {

    private static final Pattern ROW = Pattern.compile("(?m)^(locally|forwarded)\\s+(\\d+)\\s");

    private final FakeQueries ledger = new FakeQueries();
    private Javalin server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void measuresExactlyTheRequestsOfItsRateAndDurationOverEverySku() {
        for (int i = 0; i < 5; i++) {
            ledger.put("SKU-" + i, 10, 0);
        }
        start();
        final InProcessCli.Result result = InProcessCli.run("", "bench-queries", "--http-url", url(),
                "--rate", "200", "--duration", "1s", "--skus", "5", "--connections", "4");
        assertEquals(0, result.exitCode(), result.err());
        // The fake answers as "routed", not as this host:port, so every answer counts as forwarded.
        assertEquals(0, count(result.out(), "locally"), result.out());
        assertEquals(200, count(result.out(), "forwarded"), result.out());
        assertTrue(result.out().contains("errors: 0"), result.out());
        for (int i = 0; i < 5; i++) {
            assertTrue(ledger.asked.contains("stock:SKU-" + i + ":false"), "asked for SKU-" + i);
        }
    }

    @Test
    void aLedgerWithoutSkusIsOneClearLine() {
        start();
        final InProcessCli.Result result = InProcessCli.run("", "bench-queries", "--http-url", url(),
                "--duration", "1s");
        assertEquals(1, result.exitCode());
        assertTrue(result.saidOneLine() && result.errLine().contains("has no SKUs"), result.err());
    }

    @Test
    void anUnreachableServerIsOneClearLine() {
        start();
        final String url = url();
        server.stop();
        server = null;
        final InProcessCli.Result result = InProcessCli.run("", "bench-queries", "--http-url", url, "--duration", "1s");
        assertEquals(1, result.exitCode());
        assertTrue(result.saidOneLine() && result.errLine().contains("cannot reach"), result.err());
    }

    private void start() {
        server = new HttpApi(() -> KafkaStreams.State.RUNNING, ledger, new HttpMetrics()).create()
                .start("127.0.0.1", 0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.port();
    }

    private static long count(final String out, final String row) {
        final Matcher matcher = ROW.matcher(out);
        while (matcher.find()) {
            if (matcher.group(1).equals(row)) {
                return Long.parseLong(matcher.group(2));
            }
        }
        throw new AssertionError("no " + row + " row in:\n" + out);
    }
}
