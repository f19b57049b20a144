package io.stockline.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.testkit.Await;
import io.stockline.testkit.ChildProcess;
import io.stockline.testkit.Http;
import io.stockline.testkit.Ports;
import io.stockline.app.config.ClientOverrides;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.http.HttpApi;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.app.service.Endpoints;
import io.stockline.app.service.StocklineService;
import io.stockline.app.service.TopologyFactory;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the instance owning a key dies without a word (kill -9), the group notices only after the session
 * timeout. Meanwhile a plain read is a 503, and {@code ?allowStale=true} is answered by the standby copy.
 */
class StaleReadTest {

    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();
    private static final String APPLICATION_ID = "stockline-stale";

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private StocklineService survivor;
    private ChildProcess victim;

    @AfterEach
    void stop() {
        if (victim != null) {
            victim.close();
        }
        if (survivor != null) {
            survivor.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void standbyAnswersAStaleReadWhileTheDeadOwnerIsStillInTheGroup() throws Exception {
        // Given two instances with a standby copy of each store, one of them a separate process
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        survivor = new StocklineService(new ServiceConfig(dir.resolve("a"), Optional.of(broker.bootstrapServers()), 0,
                ClientOverrides.none(), 6, ServiceConfig.BROKER_DEFAULT_REPLICATION, "127.0.0.1", 0, "127.0.0.1",
                APPLICATION_ID, 1, Duration.ofHours(1), Duration.ofMinutes(5), Optional.empty()), TopologyFactory.ledger());
        final Endpoints a = survivor.start();
        final int victimPort = Ports.freePort();
        victim = ChildProcess.service("b", dir, "--bootstrap-servers", broker.bootstrapServers(), "--data-dir",
                dir.resolve("b").toString(), "--http-port", String.valueOf(victimPort), "--application-id",
                APPLICATION_ID, "--standby-replicas", "1", "--default-hold", "1h").start();
        final String b = "http://127.0.0.1:" + victimPort;
        Await.until("both ready", Duration.ofSeconds(90), () -> status(a.httpUrl() + "/ready") == 200
                && status(b + "/ready") == 200);
        // (and a quiet start keeps Kafka Streams' own INFO lines out, though they log under a Stockline class)
        assertFalse(victim.log(1).contains("INFO LedgerStreams"), victim.log(1));
        final List<String> skus = produceStock(24);
        Await.until("every SKU readable", Duration.ofSeconds(60), () -> skus.stream()
                .allMatch(sku -> status(a.httpUrl() + "/stock/" + sku) == 200));
        final List<String> ownedByVictim = new ArrayList<>();
        for (final String sku : skus) {
            if (Http.get(a.httpUrl() + "/stock/" + sku).headers().firstValue(HttpApi.SERVED_BY).orElseThrow()
                    .endsWith(":" + victimPort)) {
                ownedByVictim.add(sku);
            }
        }
        assertFalse(ownedByVictim.isEmpty(), "the other instance owns some SKUs");
        final String sku = ownedByVictim.get(0);
        final String fresh = Http.get(a.httpUrl() + "/stock/" + sku).body();

        // When the owner is killed
        victim.kill();

        // Then a plain read is refused with Retry-After, and a stale read comes from the survivor's standby
        final HttpResponse<String> plain = Http.get(a.httpUrl() + "/stock/" + sku);
        assertEquals(503, plain.statusCode(), plain.body());
        assertTrue(plain.headers().firstValue("Retry-After").isPresent());
        final HttpResponse<String> stale = Http.get(a.httpUrl() + "/stock/" + sku + "?allowStale=true");
        assertEquals(200, stale.statusCode(), stale.body());
        assertEquals(fresh, stale.body());
        assertTrue(stale.headers().firstValue(HttpApi.SERVED_BY).orElseThrow().equals(Ports.hostOf(a.httpUrl())));
    }

    private List<String> produceStock(final int count) {
        final List<String> skus = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clientConfig().producer(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                final String sku = "SKU-" + i;
                skus.add(sku);
                producer.send(new ProducerRecord<>(EventTopic.STOCK_ADJUSTMENTS.topicName(), sku,
                        SERDES.serde(StockAdjusted.class).serializer().serialize("",
                                new StockAdjusted("adj-" + i, sku, 10L + i, "initial", Instant.now(), null, null,
                                        null, null, null, null, null))));
            }
        }
        return skus;
    }

    private static int status(final String url) {
        return Http.tryGet(url).map(HttpResponse::statusCode).orElse(-1);
    }
}
