package io.stockline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockline.cli.InProcessCli;
import io.stockline.cli.InProcessCli.Result;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.schemas.EventTopic;
import io.stockline.topology.LedgerTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a real in-process broker, each test on topics of its own. */
class ProduceConsumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORDER = "{\"eventId\":\"e1\",\"orderId\":\"o1\","
            + "\"lines\":[{\"sku\":\"A\",\"quantity\":2}],\"placedAt\":\"2026-11-22T10:00:00Z\",\"holdMillis\":null}";

    @TempDir
    static Path dataDir;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dataDir, 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void consumePrintsBackTheEventThatProduceSent() throws Exception {
        broker.createTopics(3, List.of(EventTopic.ORDERS.topicName()));

        final Result produced = cli(ORDER + "\n", "produce", EventTopic.ORDERS.topicName());
        final Result consumed = cli("", "consume", EventTopic.ORDERS.topicName(), "--from-beginning", "--max", "1");

        assertEquals(0, produced.exitCode(), produced.err());
        assertEquals("produced 1 events to orders (0 failed)", produced.out().strip());
        assertEquals(0, consumed.exitCode(), consumed.err());
        final JsonNode event = JSON.readTree(consumed.out().strip());
        final ObjectNode expected = (ObjectNode) JSON.readTree(ORDER);
        expected.putNull("customerId");
        withNoPlace(expected);
        assertEquals(expected, event);
        assertEquals(0, cli(consumed.out(), "produce", EventTopic.ORDERS.topicName()).exitCode(),
                "what consume prints, produce reads");
    }

    @Test
    void consumeReadsStockAlertsAsJsonLinesKeyedBySku() throws Exception {
        final String topic = EventTopic.STOCK_ALERTS.topicName();
        broker.createTopics(1, List.of(topic));
        final String alert = "{\"sku\":\"MUG\",\"location\":null,\"kind\":\"SOLD_OUT\",\"available\":0,"
                + "\"threshold\":null,\"at\":\"2026-11-22T10:00:00Z\"}";

        final Result produced = cli(alert + "\n", "produce", topic);
        final Result consumed = cli("", "consume", topic, "--from-beginning", "--max", "1");

        assertEquals(0, produced.exitCode(), produced.err());
        assertEquals(0, consumed.exitCode(), consumed.err());
        assertEquals(JSON.readTree(alert), JSON.readTree(consumed.out().strip()));
    }

    @Test
    void produceAndConsumeSpeakShipmentsWithAndWithoutLines() throws Exception {
        final String topic = EventTopic.SHIPMENTS.topicName();
        broker.createTopics(1, List.of(topic));
        final String shipment = "{\"shipmentId\":\"s1\",\"orderId\":\"o7\",\"lines\":[{\"sku\":\"A\",\"quantity\":1}],"
                + "\"at\":\"2026-11-22T10:00:00Z\"}";
        final String everythingLeft = "{\"shipmentId\":\"s2\",\"orderId\":\"o7\",\"at\":0}";

        final Result produced = cli(shipment + "\n" + everythingLeft + "\n", "produce", topic);
        final Result consumed = cli("", "consume", topic, "--from-beginning", "--max", "2");

        assertEquals(0, produced.exitCode(), produced.err());
        assertEquals(0, consumed.exitCode(), consumed.err());
        final List<String> lines = consumed.out().strip().lines().toList();
        assertEquals(withNoPlace((ObjectNode) JSON.readTree(shipment)), JSON.readTree(lines.get(0)));
        assertTrue(JSON.readTree(lines.get(1)).get("lines").isNull(), "no lines: everything left to ship");
    }

    @Test
    void produceReportsABadLineByNumberAndStillSendsTheGoodOnes() {
        final String topic = EventTopic.PAYMENTS.topicName();
        broker.createTopics(1, List.of(topic));
        final String good = "{\"paymentId\":\"p%d\",\"orderId\":\"o1\",\"outcome\":\"CAPTURED\",\"at\":0}";
        final String input = String.format(good, 1) + "\n"
                + "\n"
                + "{\"paymentId\":\"p2\",\"orderId\":\"o1\",\"outcome\":\"CAPTURED\",\"at\":\"noon\"}\n"
                + String.format(good, 3) + "\n";

        final Result produced = cli(input, "produce", topic);
        final Result consumed = cli("", "consume", topic, "--from-beginning", "--max", "2", "--timeout", "5s");

        assertEquals(1, produced.exitCode());
        assertEquals("line 3: field \"at\" must be an ISO-8601 timestamp like 2026-11-22T10:00:00Z, or epoch millis",
                produced.errLine());
        assertEquals("produced 2 events to payments (1 failed)", produced.out().strip());
        assertEquals(2, consumed.out().strip().lines().count(), consumed.out());
        assertTrue(consumed.out().contains("\"p1\"") && consumed.out().contains("\"p3\""), consumed.out());
    }

    @Test
    void consumePrintsAValueThatIsNoEventAsAnErrorWithItsBytes() throws Exception {
        final String topic = EventTopic.CANCELLATIONS.topicName();
        broker.createTopics(1, List.of(topic));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                broker.clientConfig().producer(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "o9", "not avro".getBytes(StandardCharsets.UTF_8))).get();
        }

        final Result consumed = cli("", "consume", topic, "--from-beginning", "--max", "1");

        assertEquals(0, consumed.exitCode(), consumed.err());
        final JsonNode line = JSON.readTree(consumed.out().strip());
        assertEquals("MALFORMED", line.get("failure").asText());
        assertEquals("o9", line.get("key").asText());
        assertEquals("bm90IGF2cm8=", line.get("value").asText());
        assertTrue(line.get("error").asText().contains("single-object"), line.toString());
    }

    @Test
    void topicsCreatesTheLedgerTopicsAndMarksThem() {
        final Result created = cli("", "topics", "--create", "--partitions", "2");
        final Result again = cli("", "topics", "--create");

        assertEquals(0, created.exitCode(), created.err());
        assertTrue(created.out().lines().anyMatch(line -> line.startsWith(LedgerTopics.SKU_COMMANDS)
                && line.contains("2 partitions") && line.endsWith("ledger")), created.out());
        assertTrue(created.out().lines().anyMatch(line -> line.startsWith(EventTopic.STOCK_ALERTS.topicName())
                && line.endsWith("ledger")), created.out());
        assertTrue(again.out().startsWith("created 0 topics"), again.out());
    }

    @Test
    void produceRefusesATopicOutsideTheContract() {
        final Result produced = cli(ORDER, "produce", "ordres");

        assertEquals(1, produced.exitCode());
        assertTrue(produced.saidOneLine(), produced.err());
        assertTrue(produced.errLine().startsWith("stockline: unknown topic 'ordres': expected one of orders,"),
                produced.err());
    }

    private static Result cli(final String stdin, final String... args) {
        final String[] withBroker = new String[args.length + 2];
        System.arraycopy(args, 0, withBroker, 0, args.length);
        withBroker[args.length] = "--bootstrap-servers";
        withBroker[args.length + 1] = broker.bootstrapServers();
        return InProcessCli.run(stdin, withBroker);
    }

    /** The event with each line's location and batch set to null, as consume prints a line that names neither. */
    private static ObjectNode withNoPlace(final ObjectNode event) {
        event.get("lines").forEach(line -> ((ObjectNode) line).putNull("location").putNull("batch"));
        return event;
    }
}
