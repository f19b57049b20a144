package io.stockline.cli;

import io.stockline.cli.Stockline;
import io.stockline.schemas.json.InvalidEventException;
import io.stockline.schemas.json.TopicCodec;
import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code stockline produce TOPIC}: JSON lines from stdin to a contract topic. */
@Command(name = "produce",
        description = {"Read events from stdin, one JSON object per line, and send them to TOPIC.",
                "Fields are named as in the topic's Avro schema; an optional field may be null or left out; "
                        + "an enum is its symbol; a timestamp is an ISO-8601 string or epoch millis; "
                        + "bytes are base64. Each record is keyed as the contract says (order id or SKU).",
                "A line that does not fit is reported with its number and skipped; the exit code is 1 "
                        + "if any line failed."})
public final class ProduceCommand implements Callable<Integer> {

    @ParentCommand
    private Stockline root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafka;

    @Parameters(paramLabel = "TOPIC", description = "A contract topic: orders, payments, cancellations, shipments, "
            + "stock-adjustments (or the ledger's outputs, for tests).")
    private String topicName;

    @Override
    public Integer call() {
        final KafkaClientConfig clients = kafka.clientConfig();
        final EventTopic topic = Topics.existingContractTopic(topicName, clients);
        final Tally tally = send(TopicCodec.of(topic, new SingleObjectSerdeFactory()), clients);
        spec.commandLine().getOut().printf("produced %d events to %s (%d failed)%n",
                tally.produced(), topic.topicName(), tally.failed());
        spec.commandLine().getOut().flush();
        return tally.failed() == 0 ? 0 : 1;
    }

    private Tally send(final TopicCodec<?> codec, final KafkaClientConfig clients) {
        final PrintWriter err = spec.commandLine().getErr();
        final List<Pending> pending = new ArrayList<>();
        int failed = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                clients.producer(), new StringSerializer(), new ByteArraySerializer());
             BufferedReader lines = new BufferedReader(new InputStreamReader(root.stdin(), StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    final TopicCodec.Encoded record = codec.encodeJson(line);
                    pending.add(new Pending(number, producer.send(
                            new ProducerRecord<>(codec.topic().topicName(), record.key(), record.value()))));
                } catch (final InvalidEventException e) {
                    err.println("line " + number + ": " + e.getMessage());
                    failed++;
                }
            }
            producer.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read stdin", e);
        }
        final int unsent = reportUnsent(pending, err);
        err.flush();
        return new Tally(pending.size() - unsent, failed + unsent);
    }

    private static int reportUnsent(final List<Pending> pending, final PrintWriter err) {
        int unsent = 0;
        for (final Pending record : pending) {
            try {
                record.result().get();
            } catch (final ExecutionException e) {
                err.println("line " + record.line() + ": not sent: " + e.getCause().getMessage());
                unsent++;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            }
        }
        return unsent;
    }

    private record Pending(int line, Future<RecordMetadata> result) {
    }

    private record Tally(int produced, int failed) {
    }
}
