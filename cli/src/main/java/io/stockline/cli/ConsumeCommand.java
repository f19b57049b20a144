package io.stockline.cli;

import io.stockline.app.config.DurationConverter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockline.schemas.json.EventJson;
import io.stockline.schemas.json.TopicCodec;
import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.serde.EventDecodeException;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockline consume TOPIC}: a contract topic's events as JSON lines on stdout. */
@Command(name = "consume",
        description = {"Print TOPIC's events as JSON lines, in the shape 'stockline produce' reads.",
                "Reads committed data only and commits no offsets. A value that is not a valid event is "
                        + "printed as {\"error\":...,\"value\":<base64>} instead."})
public final class ConsumeCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(200);

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafka;

    @Parameters(paramLabel = "TOPIC", description = "A contract topic, e.g. orders or order-outcomes.")
    private String topicName;

    @Option(names = "--from-beginning", description = "Start at the oldest event instead of the newest.")
    private boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N events.")
    private Long max;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "10s",
            description = "Stop once no event has arrived for this long. Default: ${DEFAULT-VALUE}.")
    private Duration idleTimeout;

    @Override
    public Integer call() {
        final KafkaClientConfig clients = kafka.clientConfig();
        final EventTopic topic = Topics.existingContractTopic(topicName, clients);
        final TopicCodec<?> codec = TopicCodec.of(topic, new SingleObjectSerdeFactory());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                clients.consumer(), new StringDeserializer(), new ByteArrayDeserializer())) {
            assign(consumer, topic.topicName());
            print(consumer, codec, spec.commandLine().getOut());
        }
        return 0;
    }

    private void assign(final KafkaConsumer<String, byte[]> consumer, final String topic) {
        final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
            // Resolve "the end" now, so that events sent after this point are printed.
            partitions.forEach(consumer::position);
        }
    }

    private void print(final KafkaConsumer<String, byte[]> consumer, final TopicCodec<?> codec,
                       final PrintWriter out) {
        final long limit = max == null ? Long.MAX_VALUE : max;
        long printed = 0;
        long idleDeadline = System.nanoTime() + idleTimeout.toNanos();
        while (printed < limit && System.nanoTime() < idleDeadline) {
            for (final ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                out.println(line(codec, record));
                idleDeadline = System.nanoTime() + idleTimeout.toNanos();
                if (++printed >= limit) {
                    break;
                }
            }
            out.flush();
        }
        out.flush();
    }

    private static String line(final TopicCodec<?> codec, final ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return undecodable(record, "no value (a tombstone)", null);
        }
        try {
            return codec.decodeToJson(record.value());
        } catch (final EventDecodeException e) {
            return undecodable(record, e.getMessage(), e.failure().name());
        }
    }

    private static String undecodable(final ConsumerRecord<String, byte[]> record, final String error,
                                      final String failure) {
        final ObjectNode node = EventJson.mapper().createObjectNode();
        node.put("error", error);
        node.put("failure", failure);
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("key", record.key());
        node.put("value", record.value() == null ? null : Base64.getEncoder().encodeToString(record.value()));
        try {
            return EventJson.mapper().writeValueAsString(node);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
