package io.stockline.app.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.stockline.app.http.HttpApi;
import io.stockline.app.http.HttpMetrics;
import io.stockline.app.http.FakeQueries;
import io.stockline.testkit.Await;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * A page listening to the console's events while the server stops: the console's ticker must not go on writing to
 * the dead connection. It once did, in a loop inside Javalin that logged two warnings per turn and kept a core busy
 * for the life of the JVM.
 */
class ConsoleShutdownTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    @Test
    void aListeningPageLeavesNoBusyThreadBehindWhenTheServerStops() throws Exception {
        // Given a page listening to the console's events
        final Console console = Console.unconnected();
        final HttpApi api = new HttpApi(() -> KafkaStreams.State.RUNNING, new FakeQueries(), new HttpMetrics(), console);
        final Javalin server = api.create().start("127.0.0.1", 0);
        final HttpClient client = HttpClient.newHttpClient();
        final HttpResponse<InputStream> events = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/console/events")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        final InputStream stream = events.body();
        Await.until("the first event", WITHIN, () -> readsAByte(stream));

        // When the server stops while the console still ticks (and the page is gone)
        server.stop();
        stream.close();

        // Then the console's ticker does not spin on the dead connection (other tests' consoles, idle, count too)
        final long before = consoleCpuNanos();
        final long started = System.nanoTime();
        Await.until("three ticks", WITHIN, () -> System.nanoTime() - started > Duration.ofSeconds(3).toNanos());
        final long spent = consoleCpuNanos() - before;
        console.close();
        assertTrue(spent < Duration.ofMillis(300).toNanos(), "the console's threads spent " + spent / 1_000_000
                + " ms of CPU in 3 s after the server stopped");
    }

    private static boolean readsAByte(final InputStream stream) {
        try {
            return stream.read() >= 0;
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long consoleCpuNanos() {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("stockline-console"))
                .mapToLong(t -> Math.max(0, threads.getThreadCpuTime(t.getId()))).sum();
    }
}
