package io.stockline.app.query;

import io.stockline.app.config.ClientOverrides;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.app.service.Endpoints;
import io.stockline.app.service.StocklineService;
import io.stockline.app.service.TopologyFactory;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.api.ApiPaths;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.testkit.Await;
import io.stockline.testkit.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A broker and two instances of the service sharing one application id over six partitions, both ready: what every
 * two-instance query test starts from. Closing it stops whatever is still running, the broker last.
 */
final class TwoInstances implements AutoCloseable {

    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();

    private final EmbeddedKafkaBroker broker;
    private StocklineService first;
    private StocklineService second;
    private Endpoints a;
    private Endpoints b;

    private TwoInstances(final EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    /**
     * @param tune changes to the instances' configuration (the same for both), e.g. their locations
     */
    static TwoInstances start(final Path dir, final String applicationId, final UnaryOperator<ServiceConfig> tune) {
        final TwoInstances two = new TwoInstances(EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0));
        try {
            two.first = new StocklineService(tune.apply(config(dir, "a", applicationId, two.broker)),
                    TopologyFactory.ledger());
            two.second = new StocklineService(tune.apply(config(dir, "b", applicationId, two.broker)),
                    TopologyFactory.ledger());
            two.a = two.first.start();
            two.b = two.second.start();
            Await.until("both ready", Duration.ofSeconds(90), () -> ready(two.a) && ready(two.b));
            return two;
        } catch (final RuntimeException e) {
            two.close();
            throw e;
        }
    }

    EmbeddedKafkaBroker broker() {
        return broker;
    }

    Endpoints a() {
        return a;
    }

    Endpoints b() {
        return b;
    }

    /** Stops the second instance, as a crash or a scale-in would; the first takes over its partitions. */
    void stopSecond() {
        final StocklineService stopping = second;
        second = null;
        stopping.close();
    }

    /** Writes contract events to a topic in the contract's encoding, each keyed as given, and waits for the acks. */
    <E extends SpecificRecord> void produce(final EventTopic topic, final Class<E> type, final List<Keyed<E>> events) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clientConfig().producer(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (final Keyed<E> event : events) {
                producer.send(new ProducerRecord<>(topic.topicName(), event.key(),
                        SERDES.serde(type).serializer().serialize(topic.topicName(), event.value())));
            }
        }
    }

    /** An event and its record key. */
    record Keyed<E>(String key, E value) {
    }

    @Override
    public void close() {
        for (final AutoCloseable closeable : new AutoCloseable[] {second, first, broker}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (final Exception e) {
                    throw new IllegalStateException("cannot stop " + closeable, e);
                }
            }
        }
    }

    private static ServiceConfig config(final Path dir, final String name, final String applicationId,
                                        final EmbeddedKafkaBroker broker) {
        return new ServiceConfig(dir.resolve(name), Optional.of(broker.bootstrapServers()), 0, ClientOverrides.none(),
                6, ServiceConfig.BROKER_DEFAULT_REPLICATION, "127.0.0.1", 0, "127.0.0.1", applicationId, 1,
                Duration.ofHours(1), Duration.ofMinutes(5), Optional.empty());
    }

    private static boolean ready(final Endpoints instance) {
        return Http.get(instance.httpUrl() + ApiPaths.READY).statusCode() == 200;
    }
}
