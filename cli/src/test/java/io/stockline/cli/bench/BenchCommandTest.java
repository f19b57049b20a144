package io.stockline.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.cli.InProcessCli;
import io.stockline.schemas.EventTopic;
import io.stockline.topology.LedgerTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A tiny bench, as CI runs it: it checks the tool and its checks, never speed. Redis and MariaDB are
 * used when they answer on this machine and skipped, saying so, when they do not.
 */
class BenchCommandTest {

    private static final String HTML = ".html";
    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final String THROUGHPUT_CHART = "throughput";
    private static final String SKIPPED = "skipped";
    /** The JSON's seconds are rounded to hundredths. */
    private static final double SECONDS_ROUNDING = 0.005;

    @TempDir
    Path dir;

    @Test
    void aTinyFlashSalePassesItsChecksOnEveryReachableEngine() throws Exception {
        // When a flash sale of 50 units for 500 buyers runs on every engine
        final InProcessCli.Result result = InProcessCli.run("", "bench", "--workload", "flash-sale", "--units", "50",
                "--orders", "500", "--compare", "stockline,redis-lua,mysql", "--out", dir.toString(),
                "--progress", "none");

        // Then it passes, and every engine that ran reserved exactly the 50 units
        assertEquals(0, result.exitCode(), result.out() + result.err());
        final JsonNode runs = onlyResult().get("runs");
        assertEquals(3, runs.size());
        for (final JsonNode run : runs) {
            if ("skipped".equals(run.get("status").asText())) {
                assertTrue(result.err().contains(run.get("engine").asText() + ": skipped: "), result.err());
                assertTrue(run.get("note").asText().contains("not reachable"), run.toString());
                continue;
            }
            assertEquals("passed", run.get("status").asText(), run.toString());
            assertEquals(50, run.get("reserved").asLong());
            assertEquals(500, run.get("decided").asLong());
        }
        assertEquals("passed", runs.get(0).get("status").asText(), "stockline itself always runs");
        assertTrue(result.out().contains("PASS no SKU oversold"), result.out());
        assertHtmlChartsEveryEngineThatRanSecondBySecond(runs);
    }

    @Test
    void aTinyMixedRunTakesOrdersThroughEveryEndingOnEveryReachableEngine() throws IOException {
        // When a small mixed run of the default mix places, pays, fails, cancels, refunds, lets orders expire,
        // cancels and refunds some of an order's units and ships orders, on every engine, deducting on shipment
        final InProcessCli.Result result = InProcessCli.run("", "bench", "--workload", "mixed", "--skus", "40",
                "--orders", "400", "--follow-up-lag", "20", "--expire-hold", "2s", "--stock-cover", "0.8",
                "--compare", "stockline,redis-lua,mysql", "--out", dir.toString(), "--progress", "none");

        // Then on every engine that ran, every order ends as its events say and the levels match the outcomes
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("stock deducted on shipment"), result.err());
        final JsonNode runs = onlyResult().get("runs");
        assertEquals("passed", runs.get(0).get("status").asText(), "stockline itself always runs");
        for (final JsonNode run : runs) {
            if (SKIPPED.equals(run.get("status").asText())) {
                continue;
            }
            assertEquals("passed", run.get("status").asText(), run.toString());
            assertTrue(run.get("reserved").asLong() > 0 && run.get("reserved").asLong() < 400, run.toString());
            final String endings = checkDetail(run, "every order has exactly one final outcome");
            for (final String status : List.of("CONFIRMED", "SHIPPED", "PARTIALLY_REFUNDED", "REFUNDED", "CANCELLED",
                    "EXPIRED", "RESERVED")) {
                assertTrue(endings.contains(status + " "), run.get("engine") + " ended no order " + status + ": "
                        + endings);
            }
        }
        assertTrue(Files.list(dir).anyMatch(p -> p.toString().endsWith(".md")));
    }

    @Test
    void theMixBeforeShipmentsRunsDeductingOnPayment() throws IOException {
        // When the mix every figure before #21 was measured with runs on the ledger
        final InProcessCli.Result result = InProcessCli.run("", "bench", "--workload", "mixed", "--skus", "40",
                "--orders", "300", "--follow-up-lag", "20", "--expire-hold", "2s", "--stock-cover", "0.8",
                "--mix", "pay=60,fail=8,cancel=7,refund=5,expire=10,hold=10", "--out", dir.toString(),
                "--progress", "none");

        // Then it passes, deducting on payment, with no per-line step in sight
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("stock deducted on payment"), result.err());
        final JsonNode run = onlyResult().get("runs").get(0);
        assertEquals("passed", run.get("status").asText(), run.toString());
        final String endings = checkDetail(run, "every order has exactly one final outcome");
        assertTrue(!endings.contains("SHIPPED") && !endings.contains("PARTIALLY_REFUNDED"), endings);
    }

    @Test
    void stockSpreadOverLocationsAndBatchesPassesEveryCheck() throws IOException {
        // When a small mixed run starts every SKU with 12 units spread over 3 locations in 2 batches each
        final InProcessCli.Result result = InProcessCli.run("", "bench", "--workload", "mixed", "--skus", "40",
                "--orders", "300", "--follow-up-lag", "20", "--expire-hold", "2s", "--stock", "12",
                "--locations", "3", "--batches", "2", "--out", dir.toString(), "--progress", "none");

        // Then it passes every check, among them that each SKU's totals are the sums over its six places
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("stock spread over 3 locations in 2 batches each"), result.err());
        final JsonNode run = onlyResult().get("runs").get(0);
        assertEquals("passed", run.get("status").asText(), run.toString());
        for (final JsonNode check : run.get("checks")) {
            assertTrue(check.get("passed").asBoolean(), check.toString());
        }
        assertEquals("the widest-spread SKU holds units at 6 places",
                checkDetail(run, "every SKU's totals are the sums over its places"));
        assertTrue(run.get("reserved").asLong() > 0, run.toString());
    }

    @Test
    void shipmentsInTheMixWhileDeductingOnPaymentIsBadUsage() {
        final InProcessCli.Result result = InProcessCli.run("", "bench", "--workload", "mixed", "--mix", "ship=10",
                "--deduct-on", "payment");

        assertEquals(2, result.exitCode(), result.out() + result.err());
        assertTrue(result.saidOneLine() && result.errLine().contains("--mix has ship, which needs --deduct-on "
                + "shipment"), result.err());
    }

    @Test
    void anUnreachableServerIsSkippedAndSaysWhy() throws IOException {
        // When the only engine asked for cannot be reached
        final InProcessCli.Result result = InProcessCli.run("", "bench", "--engine", "redis-lua",
                "--redis-url", "redis://127.0.0.1:1", "--units", "5", "--orders", "10", "--out", dir.toString(),
                "--progress", "none");

        // Then it says so, and since nothing ran, the exit code says so too
        assertEquals(1, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("redis-lua: skipped: Redis is not reachable at 127.0.0.1:1"), result.err());
        assertEquals("skipped", onlyResult().get("runs").get(0).get("status").asText());
        assertEquals("stockline bench --engine redis-lua --redis-url redis://127.0.0.1:1 --units 5 --orders 10 --out "
                + dir + " --progress none", onlyResult().get("meta").get("command").asText(),
                "the results file says how to run it again");
    }

    @Test
    void aClusterWhoseTopicsTheLedgerCannotUseIsSkippedWithTheReasonNotAsUnreachable() {
        // Given a cluster that answers, with the ledger's orders topic of 2 partitions and the others of 3
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0)) {
            broker.createTopics(2, List.of(EventTopic.ORDERS.topicName()));
            broker.createTopics(3, LedgerTopics.all().stream()
                    .filter(topic -> !topic.equals(EventTopic.ORDERS.topicName())).toList());

            // When the bench is pointed at it
            final InProcessCli.Result result = InProcessCli.run("", "bench", "--engine", "stockline",
                    "--bootstrap-servers", broker.bootstrapServers(), "--units", "5", "--orders", "10",
                    "--out", dir.resolve("out").toString(), "--progress", "none");

            // Then it says what is wrong with the topics, not that Kafka cannot be reached
            assertEquals(1, result.exitCode(), result.out() + result.err());
            assertTrue(result.err().contains("stockline: skipped: the ledger's topics must have one partition count"),
                    result.err());
        }
    }

    @Test
    void anUnknownEngineIsBadUsage() {
        final InProcessCli.Result result = InProcessCli.run("", "bench", "--engine", "memcached");

        assertEquals(2, result.exitCode());
        assertTrue(result.saidOneLine() && result.errLine().contains("unknown engine 'memcached'"), result.err());
    }

    @Test
    void aStreamsSettingKafkaRefusesIsBadUsageNamingTheSetting() {
        final InProcessCli.Result result = InProcessCli.run("", "bench", "--units", "5", "--orders", "10",
                "-S", "commit.interval.ms=soon", "--out", dir.toString(), "--progress", "none");

        // After the line saying what would run, one line naming the refused setting, no stack trace
        assertEquals(2, result.exitCode(), result.out() + result.err());
        final List<String> lines = result.errLine().lines().toList();
        assertEquals(2, lines.size(), result.err());
        assertTrue(lines.get(1).contains("commit.interval.ms") && lines.get(1).contains("soon"), result.err());
    }

    /**
     * The HTML report parses as XML, and each of its charts has one line per engine that ran (latency two: p99 and
     * p50) with a point for each second of the JSON's timeline (latency: each second with decisions), whose decisions
     * add up to the decisions timed.
     */
    private void assertHtmlChartsEveryEngineThatRanSecondBySecond(final JsonNode runs) throws Exception {
        final Document html = parseXml(onlyFile(HTML));
        final Map<String, Integer> throughputPoints = new HashMap<>();
        final Map<String, Integer> latencyLines = new HashMap<>();
        for (final Element line : seriesOf(html)) {
            final int points = line.getAttribute("points").isBlank() ? 0
                    : line.getAttribute("points").trim().split(" ").length;
            assertEquals(Integer.parseInt(line.getAttribute("data-points")), points, "points of a line");
            if (((Element) line.getParentNode()).getAttribute("id").equals(THROUGHPUT_CHART)) {
                throughputPoints.put(line.getAttribute("data-engine"), points);
            } else {
                latencyLines.merge(line.getAttribute("data-engine") + " " + line.getAttribute("data-figure"), points,
                        Integer::sum);
            }
        }
        final Map<String, Integer> expectedPoints = new HashMap<>();
        final Map<String, Integer> expectedLatency = new HashMap<>();
        for (final JsonNode run : runs) {
            if (SKIPPED.equals(run.get("status").asText())) {
                continue;
            }
            final String engine = run.get("engine").asText();
            final JsonNode timeline = run.get("timeline");
            final double seconds = run.get("seconds").asDouble();
            assertTrue(timeline.size() - 1 <= seconds + SECONDS_ROUNDING && seconds < timeline.size(),
                    engine + ": " + timeline.size() + " points for " + seconds + " measured seconds");
            long decisions = 0;
            int timed = 0;
            for (final JsonNode second : timeline) {
                decisions += second.get("decisions").asLong();
                timed += second.get("p99Ms").isNull() ? 0 : 1;
            }
            assertEquals(run.get("latencyMs").get("count").asLong(), decisions, engine + ": decisions per second");
            expectedPoints.put(engine, timeline.size());
            expectedLatency.put(engine + " p99", timed);
            expectedLatency.put(engine + " p50", timed);
        }
        assertEquals(expectedPoints, throughputPoints, "throughput lines");
        assertEquals(expectedLatency, latencyLines, "latency lines");
    }

    private static Document parseXml(final Path file) throws Exception {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static List<Element> seriesOf(final Document html) {
        final NodeList lines = html.getElementsByTagNameNS(SVG, "polyline");
        final List<Element> series = new ArrayList<>();
        for (int i = 0; i < lines.getLength(); i++) {
            series.add((Element) lines.item(i));
        }
        return series;
    }

    private static String checkDetail(final JsonNode run, final String namePrefix) {
        for (final JsonNode check : run.get("checks")) {
            if (check.get("name").asText().startsWith(namePrefix)) {
                return check.get("detail").asText();
            }
        }
        throw new AssertionError("no check '" + namePrefix + "' in " + run);
    }

    private JsonNode onlyResult() throws IOException {
        return new ObjectMapper().readTree(onlyFile(".json").toFile());
    }

    private Path onlyFile(final String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            final List<Path> found = files.filter(p -> p.toString().endsWith(suffix)).toList();
            assertEquals(1, found.size(), found.toString());
            return found.get(0);
        }
    }
}
