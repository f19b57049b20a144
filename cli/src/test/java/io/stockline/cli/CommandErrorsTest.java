package io.stockline.cli;

import io.stockline.schemas.EventTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.cli.InProcessCli;
import io.stockline.cli.InProcessCli.Result;
import io.stockline.app.service.TopologyFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mistake the operator can fix is one line on stderr and a non-zero exit, never a stack trace. */
class CommandErrorsTest {

    @TempDir
    Path tempDir;

    @Test
    void anUnknownFlagIsAUsageError() {
        final Result result = InProcessCli.run("", "run", "--no-such-flag");

        assertEquals(2, result.exitCode());
        assertTrue(result.saidOneLine(), result.err());
        assertEquals("stockline: Unknown option: '--no-such-flag' (see 'stockline run --help')", result.errLine());
    }

    @Test
    void aBadDurationNamesTheFlagAndTheAcceptedForms() {
        final Result result = InProcessCli.run("", "run", "--default-hold", "soon");

        assertEquals(2, result.exitCode());
        assertTrue(result.saidOneLine(), result.err());
        assertTrue(result.errLine().contains("'--default-hold'") && result.errLine().contains("15m"), result.err());
    }

    @Test
    void aBadDeductOnNamesTheFlagAndTheAcceptedValues() {
        final Result result = InProcessCli.run("", "run", "--deduct-on", "delivery");

        assertEquals(2, result.exitCode());
        assertTrue(result.saidOneLine(), result.err());
        assertTrue(result.errLine().startsWith("stockline: Invalid value for option '--deduct-on': 'delivery' is not "
                + "when stock is deducted: expected one of payment, shipment"), result.err());
    }

    @Test
    void aLocationListedTwiceIsOneLineNamingIt() {
        final Result result = InProcessCli.run("", "run", "--locations", "berlin,paris,berlin");

        assertEquals(2, result.exitCode());
        assertTrue(result.saidOneLine(), result.err());
        assertEquals("stockline: Invalid value for option '--locations': location 'berlin' is listed twice in "
                + "--locations 'berlin,paris,berlin' (see 'stockline run --help')", result.errLine());
    }

    @Test
    void anEmptyLocationIsOneLine() {
        final Result result = InProcessCli.run("", "run", "--locations", "berlin,,paris");

        assertEquals(2, result.exitCode());
        assertTrue(result.saidOneLine(), result.err());
        assertTrue(result.errLine().contains("a location is empty in --locations 'berlin,,paris'"), result.err());
    }

    @Test
    void aSettingTheLedgerRejectsIsOneLine() {
        final Result result = InProcessCli.run("", "run", "--data-dir", tempDir.toString(), "--default-hold", "0s");

        assertEquals(1, result.exitCode());
        assertTrue(result.saidOneLine(), result.err());
        assertTrue(result.errLine().contains("default hold must be positive"), result.err());
    }

    @Test
    void anUnreachableBootstrapServerFailsWithinSeconds() throws IOException {
        final String nobody = "127.0.0.1:" + closedPort();
        final long started = System.nanoTime();

        final Result topics = InProcessCli.run("", "topics", "--bootstrap-servers", nobody);
        final Result run = InProcessCli.run("", "run", "--data-dir", tempDir.toString(),
                "--bootstrap-servers", nobody, "--http-port", "0");

        assertEquals(1, topics.exitCode());
        assertTrue(topics.saidOneLine(), topics.err());
        assertEquals("stockline: cannot reach Kafka at " + nobody + ": no answer within 5 s", topics.errLine());
        assertEquals(1, run.exitCode());
        assertTrue(run.saidOneLine(), run.err());
        assertTrue(run.errLine().startsWith("stockline: cannot reach Kafka at " + nobody), run.err());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 20, "both within seconds");
    }

    @Test
    void anUnresolvableBootstrapServerIsOneLine() {
        final Result result = InProcessCli.run("", "consume", EventTopic.ORDERS.topicName(),
                "--bootstrap-servers", "no-such-host.invalid:9092");

        assertEquals(1, result.exitCode());
        assertTrue(result.saidOneLine(), result.err());
        assertTrue(result.errLine().startsWith("stockline: cannot reach Kafka at no-such-host.invalid:9092"),
                result.err());
    }

    @Test
    void anUnwritableDataDirIsOneLine() throws IOException {
        final Path file = Files.writeString(tempDir.resolve("a-file"), "not a directory");

        final Result result = InProcessCli.run("", "run", "--data-dir", file.resolve("data").toString(),
                "--http-port", "0", "--kafka-port", "0");

        assertEquals(1, result.exitCode());
        assertTrue(result.saidOneLine(), result.err());
        assertTrue(result.errLine().startsWith("stockline: cannot use the data directory " + file.resolve("data")),
                result.err());
    }

    @Test
    void aPortInUseIsOneLineNamingThePort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            final String port = String.valueOf(taken.getLocalPort());

            final Result http = InProcessCli.run("", "run", "--data-dir", tempDir.toString(),
                    "--http-port", port, "--kafka-port", "0");
            final Result kafka = InProcessCli.run("", "run", "--data-dir", tempDir.toString(),
                    "--http-port", "0", "--kafka-port", port);

            assertEquals(1, http.exitCode());
            assertTrue(http.saidOneLine(), http.err());
            assertTrue(http.errLine().startsWith("stockline: HTTP port " + port + " on 127.0.0.1 is not available"),
                    http.err());
            assertEquals(1, kafka.exitCode());
            assertTrue(kafka.saidOneLine(), kafka.err());
            assertTrue(kafka.errLine().startsWith("stockline: Kafka port " + port + " on 127.0.0.1 is not available"),
                    kafka.err());
        }
    }

    @Test
    void aTopologyThatCannotBeBuiltIsOneLineBeforeAnythingStarts() {
        final TopologyFactory unfinished = config -> {
            throw new UnsupportedOperationException("being written");
        };

        final Result result = InProcessCli.run(unfinished, "", "run", "--data-dir", tempDir.toString(),
                "--http-port", "0", "--kafka-port", "0");

        assertEquals(1, result.exitCode());
        assertTrue(result.saidOneLine(), result.err());
        assertEquals("stockline: cannot build the ledger topology: being written", result.errLine());
        assertFalse(Files.exists(tempDir.resolve("kafka")), "no broker was started");
    }

    @Test
    void aMissingKafkaConfigFileIsOneLine() {
        final Result result = InProcessCli.run("", "topics",
                "--kafka-config", tempDir.resolve("nope.properties").toString());

        assertEquals(1, result.exitCode());
        assertTrue(result.saidOneLine(), result.err());
        assertTrue(result.errLine().endsWith("nope.properties: no such file"), result.err());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
