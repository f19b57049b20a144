package io.stockline.topology;

import io.stockline.ledger.Origin;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.serde.EventDecodeException;
import io.stockline.topology.ContractRules.Admission;
import io.stockline.topology.ContractRules.Rule;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The ledger's front door for one input topic: decodes the raw bytes, checks the contract, and forwards
 * either a ledger command (keyed for the side that handles it) or a dead letter that carries the original
 * bytes, topic, partition and offset. Nothing is dropped. A command whose key this task owns goes straight
 * to the ledger processor beside it; one that a producer put on another partition than its key hashes to
 * goes through the command topic to the task that owns it, so events of one order still meet in one place.
 */
public final class DecodeProcessorSupplier<E, C> implements ProcessorSupplier<byte[], byte[], String, Object> {

    private final Deserializer<E> deserializer;
    private final Rule<E, C> rule;
    private final int partitions;
    private final Children children;

    /** Where this processor's output goes, by child node name. */
    public record Children(String ledger, String commandTopic, String deadLetters) {
    }

    public DecodeProcessorSupplier(final Deserializer<E> deserializer, final Rule<E, C> rule, final int partitions,
                                   final Children children) {
        this.deserializer = deserializer;
        this.rule = rule;
        this.partitions = partitions;
        this.children = children;
    }

    @Override
    public Processor<byte[], byte[], String, Object> get() {
        return new DecodeProcessor();
    }

    private final class DecodeProcessor extends ContextualProcessor<byte[], byte[], String, Object> {

        private LedgerMetrics metrics;
        private Partitioning partitioning;

        @Override
        public void init(final ProcessorContext<String, Object> context) {
            super.init(context);
            metrics = new LedgerMetrics(context.metrics());
            partitioning = new Partitioning(partitions, context.taskId().partition());
        }

        @Override
        public void process(final Record<byte[], byte[]> record) {
            final Origin origin = origin(record);
            if (record.value() == null) {
                refuse(record, origin, DeadLetterCode.MISSING_VALUE, "the record has no value");
            } else if (record.key() == null) {
                refuse(record, origin, DeadLetterCode.MISSING_KEY, "the record has no key");
            } else {
                admit(record, origin);
            }
        }

        private void admit(final Record<byte[], byte[]> record, final Origin origin) {
            final E event;
            try {
                event = deserializer.deserialize(origin.topic(), record.value());
            } catch (final EventDecodeException e) {
                refuse(record, origin, codeOf(e), e.getMessage());
                return;
            } catch (final SerializationException e) {
                refuse(record, origin, DeadLetterCode.MALFORMED_RECORD, String.valueOf(e.getMessage()));
                return;
            }
            final Admission<C> admission = rule.admit(origin.key(), event, origin);
            if (admission instanceof Admission.Accepted<C> accepted) {
                final String child = partitioning.ownsKey(accepted.key()) ? children.ledger() : children.commandTopic();
                context().forward(record.withKey(accepted.key()).withValue(accepted.command()), child);
            } else {
                final Admission.Refused<C> refused = (Admission.Refused<C>) admission;
                refuse(record, origin, refused.code(), refused.message());
            }
        }

        private void refuse(final Record<byte[], byte[]> record, final Origin origin, final DeadLetterCode code,
                            final String message) {
            final Object deadLetter = ContractMapper.deadLetter(origin, code, message,
                    context().currentSystemTimeMs());
            context().forward(record.withKey(origin.key()).withValue(deadLetter), children.deadLetters());
            metrics.deadLetter(code.name());
        }

        private Origin origin(final Record<byte[], byte[]> record) {
            final RecordMetadata metadata = context().recordMetadata().orElseThrow();
            final String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            return new Origin(metadata.topic(), metadata.partition(), metadata.offset(), key, record.value());
        }
    }

    private static DeadLetterCode codeOf(final EventDecodeException e) {
        return switch (e.failure()) {
            case MALFORMED -> DeadLetterCode.MALFORMED_RECORD;
            case UNKNOWN_SCHEMA -> DeadLetterCode.UNKNOWN_SCHEMA;
            case WRONG_EVENT_TYPE -> DeadLetterCode.WRONG_EVENT_TYPE;
        };
    }
}
