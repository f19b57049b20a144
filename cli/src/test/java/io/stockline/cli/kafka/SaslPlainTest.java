package io.stockline.cli.kafka;

import io.stockline.testkit.Http;
import io.stockline.testkit.Ports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.testkit.ChildProcess;
import io.stockline.cli.InProcessCli;
import io.stockline.cli.InProcessCli.Result;
import io.stockline.schemas.EventTopic;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka client security passes through {@code --kafka-config}: against a broker whose only client port wants
 * SASL/PLAIN, the service ({@code run}, in a process of its own) and the client commands work with a user's
 * settings file, and without one, or with a wrong password, a command fails fast with one line saying why.
 */
class SaslPlainTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "alice-secret";
    private static final String SKU = "SKU-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Not how long a refusal should take (a few seconds), only how long before it counts as a hang. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.startWithSaslPlain(dir.resolve("kafka"), 0, Map.of(USER, PASSWORD));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void theServiceAndTheClientCommandsLogInWithTheSettingsFromKafkaConfig() throws Exception {
        // Given the service, run with the user's settings file, ready
        final Path settings = settingsFile("alice.properties", USER, PASSWORD);
        final int httpPort = Ports.freePort();
        final String http = "http://127.0.0.1:" + httpPort;
        try (ChildProcess service = startService(settings, httpPort)) {
            service.awaitReady(httpPort, Duration.ofSeconds(120));

            // When stock arrives, and then an order for part of it, both through 'produce --kafka-config'
            produce(settings, EventTopic.STOCK_ADJUSTMENTS, "{\"adjustmentId\":\"adj-1\",\"sku\":\"" + SKU
                    + "\",\"delta\":10,\"reason\":\"initial\",\"at\":\"" + Instant.now() + "\"}");
            service.await("10 on hand", Duration.ofSeconds(60), () -> stock(http).map(
                    level -> level.path("onHand").asLong() == 10).orElse(false));
            produce(settings, EventTopic.ORDERS, "{\"eventId\":\"e-1\",\"orderId\":\"o-1\",\"lines\":[{\"sku\":\""
                    + SKU + "\",\"quantity\":3}],\"placedAt\":\"" + Instant.now() + "\",\"holdMillis\":null}");

            // Then 'consume --kafka-config' shows the order reserved, and the service shows its 3 units locked
            final Result outcome = InProcessCli.run("", "consume", EventTopic.ORDER_OUTCOMES.topicName(),
                    "--from-beginning", "--max", "1", "--timeout", "60s",
                    "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config", settings.toString());
            assertEquals(0, outcome.exitCode(), outcome.err());
            assertEquals("RESERVED", JSON.readTree(outcome.out().strip()).path("status").asText(), outcome.out());
            service.await("7 available and 3 locked", Duration.ofSeconds(30), () -> stock(http).map(
                    level -> level.path("available").asLong() == 7 && level.path("locked").asLong() == 3).orElse(false));
            service.terminate();
        }
    }

    @Test
    void aWrongPasswordFailsFastWithOneLineSayingTheLoginFailed() throws IOException {
        final Path wrong = settingsFile("wrong.properties", USER, "not-" + PASSWORD);

        final Instant started = Instant.now();
        final Result topics = InProcessCli.run("", "topics",
                "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config", wrong.toString());
        final Duration took = Duration.between(started, Instant.now());

        assertEquals(1, topics.exitCode());
        assertTrue(topics.saidOneLine(), topics.err());
        assertTrue(topics.errLine().startsWith("stockline: cannot log in to Kafka at " + broker.bootstrapServers()
                + ": Authentication failed: Invalid username or password"), topics.err());
        assertTrue(topics.errLine().contains("--kafka-config"), topics.err());
        assertTrue(took.compareTo(HANG_GUARD) < 0, "took " + took);
    }

    @Test
    void withoutKafkaConfigAClientFailsFastWithOneLineSayingItCannotReachKafka() {
        final Instant started = Instant.now();
        final Result produce = InProcessCli.run("{}\n", "produce", EventTopic.ORDERS.topicName(),
                "--bootstrap-servers", broker.bootstrapServers());
        final Duration took = Duration.between(started, Instant.now());

        assertEquals(1, produce.exitCode());
        assertTrue(produce.saidOneLine(), produce.err());
        assertTrue(produce.errLine().startsWith("stockline: cannot reach Kafka at " + broker.bootstrapServers()),
                produce.err());
        assertTrue(took.compareTo(HANG_GUARD) < 0, "took " + took);
    }

    /** What an operator writes for a SASL/PLAIN cluster without TLS. */
    private static Path settingsFile(final String name, final String user, final String password)
            throws IOException {
        final String jaas = PlainLoginModule.class.getName() + " required username=\"" + user
                + "\" password=\"" + password + "\";";
        return Files.writeString(dir.resolve(name), String.join("\n",
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG + "=SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM + "=PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG + "=" + jaas, ""));
    }

    /** {@code stockline run} exactly as an operator starts it, so the flag itself is what is tested. */
    private static ChildProcess startService(final Path settings, final int httpPort) {
        return ChildProcess.service("service", dir, "--bootstrap-servers", broker.bootstrapServers(),
                "--kafka-config", settings.toString(), "--data-dir", dir.resolve("service").toString(),
                "--http-port", String.valueOf(httpPort), "--partitions", "2", "--default-hold", "1h").start();
    }

    private static void produce(final Path settings, final EventTopic topic, final String event) {
        final Result produced = InProcessCli.run(event + "\n", "produce", topic.topicName(),
                "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config", settings.toString());
        assertEquals(0, produced.exitCode(), produced.err());
    }

    private static Optional<JsonNode> stock(final String http) {
        final HttpResponse<String> response = Http.tryGet(http + "/stock/" + SKU).orElse(null);
        if (response == null || response.statusCode() != 200) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(response.body()));
        } catch (final IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }
}
