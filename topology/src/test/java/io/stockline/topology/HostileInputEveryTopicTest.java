package io.stockline.topology;

import static io.stockline.topology.LedgerHarness.line;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderCancelled;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.OrderShipped;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of hostile value, into every input topic: exactly one dead letter with the right code and the
 * original bytes, no change to any stock, and the ledger goes on.
 */
class HostileInputEveryTopicTest {

    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();
    private static final String LONG_ID = "i".repeat(10_000);
    private final LedgerHarness ledger = new LedgerHarness();

    @AfterEach
    void close() {
        ledger.close();
    }

    static Stream<Arguments> hostileInputs() {
        final List<Arguments> cases = new ArrayList<>();
        for (final EventTopic topic : List.of(EventTopic.ORDERS, EventTopic.PAYMENTS, EventTopic.CANCELLATIONS,
                EventTopic.SHIPMENTS, EventTopic.STOCK_ADJUSTMENTS)) {
            final byte[] valid = encode(valid(topic, "k-1"));
            final byte[] wrongFingerprint = valid.clone();
            wrongFingerprint[9] ^= 0x01;
            cases.add(Arguments.of(topic, "random bytes", "k-1", noise(64), DeadLetterCode.MALFORMED_RECORD));
            cases.add(Arguments.of(topic, "a 1 MB value", "k-1", noise(1 << 20), DeadLetterCode.MALFORMED_RECORD));
            cases.add(Arguments.of(topic, "truncated avro", "k-1", Arrays.copyOf(valid, valid.length - 2),
                    DeadLetterCode.MALFORMED_RECORD));
            cases.add(Arguments.of(topic, "wrong fingerprint", "k-1", wrongFingerprint, DeadLetterCode.UNKNOWN_SCHEMA));
            cases.add(Arguments.of(topic, "another event type", "k-1", encode(valid(other(topic), "k-1")),
                    DeadLetterCode.WRONG_EVENT_TYPE));
            cases.add(Arguments.of(topic, "null key", null, valid, DeadLetterCode.MISSING_KEY));
            cases.add(Arguments.of(topic, "null value", "k-1", null, DeadLetterCode.MISSING_VALUE));
            cases.add(Arguments.of(topic, "10,000-character id", LONG_ID, encode(valid(topic, LONG_ID)),
                    DeadLetterCode.INVALID_ID));
            cases.add(Arguments.of(topic, "control character in an id", "k\u0000", encode(valid(topic, "k\u0000")),
                    DeadLetterCode.INVALID_ID));
        }
        for (final EventTopic topic : List.of(EventTopic.ORDERS, EventTopic.PAYMENTS, EventTopic.CANCELLATIONS,
                EventTopic.SHIPMENTS)) {
            for (final long absurd : new long[] {1L << 62, -1, 0, Long.MIN_VALUE}) {
                cases.add(Arguments.of(topic, "quantity " + absurd, "k-1", encode(naming(topic, line("A", absurd))),
                        DeadLetterCode.INVALID_QUANTITY));
            }
            cases.add(Arguments.of(topic, "10,000-character sku", "k-1", encode(naming(topic, line(LONG_ID, 1))),
                    DeadLetterCode.INVALID_ID));
        }
        cases.add(Arguments.of(EventTopic.STOCK_ADJUSTMENTS, "delta 2^62", "k-1",
                encode(new StockAdjusted("a", "k-1", 1L << 62, "x", LedgerHarness.START, null, null, null, null, null,
                        null, null)),
                DeadLetterCode.INVALID_QUANTITY));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("hostileInputs")
    void hostileValueIsOneDeadLetterAndChangesNothing(final EventTopic topic, final String what, final String key,
                                                      final byte[] value, final DeadLetterCode code) {
        ledger.adjust("stock", "A", 10);

        ledger.pipeRaw(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
        ledger.place("after", line("A", 1));

        final List<DeadLetter> deadLetters = ledger.deadLetters();
        assertEquals(1, deadLetters.size(), what + ": " + deadLetters);
        final DeadLetter deadLetter = deadLetters.get(0);
        assertEquals(code, deadLetter.getCode(), deadLetter.getMessage());
        assertEquals(topic.topicName(), deadLetter.getSourceTopic());
        assertEquals(key, deadLetter.getKey());
        if (value != null) {
            assertArrayEquals(value, bytes(deadLetter.getPayload()));
        }
        assertEquals(List.of(OrderStatus.RESERVED), ledger.outcomes().stream().map(o -> o.getStatus()).toList());
        assertEquals(List.of(10L, 9L, 1L), List.of(ledger.level("A").onHand(), ledger.level("A").available(),
                ledger.level("A").locked()), "only the order after it touched the stock");
        assertEquals(null, ledger.level("k-1"));
    }

    /** A valid record of the topic's own type, keyed (and identified) by {@code id}. */
    private static SpecificRecord valid(final EventTopic topic, final String id) {
        return switch (topic) {
            case ORDERS -> LedgerHarness.order(id, "e-" + id.length(), LedgerHarness.START, null, line("B", 1));
            case PAYMENTS -> new PaymentEvent("p-" + id.length(), id, PaymentOutcome.CAPTURED, LedgerHarness.START,
                    null, true);
            case CANCELLATIONS -> new OrderCancelled("c-" + id.length(), id, "x", LedgerHarness.START, null);
            case SHIPMENTS -> new OrderShipped("s-" + id.length(), id, null, LedgerHarness.START);
            default -> new StockAdjusted("a-" + id.length(), id, 5L, "x", LedgerHarness.START, null, null, null, null,
                    null, null, null);
        };
    }

    /** A valid record of the topic's own type for order k-1, but for the lines it names. */
    private static SpecificRecord naming(final EventTopic topic, final OrderLine... lines) {
        return switch (topic) {
            case ORDERS -> LedgerHarness.order("k-1", "e", LedgerHarness.START, null, lines);
            case PAYMENTS -> new PaymentEvent("p", "k-1", PaymentOutcome.REFUNDED, LedgerHarness.START, List.of(lines),
                    true);
            case CANCELLATIONS -> new OrderCancelled("c", "k-1", "x", LedgerHarness.START, List.of(lines));
            case SHIPMENTS -> new OrderShipped("s", "k-1", List.of(lines), LedgerHarness.START);
            default -> throw new IllegalArgumentException(topic + " names no lines");
        };
    }

    private static EventTopic other(final EventTopic topic) {
        return topic == EventTopic.ORDERS ? EventTopic.PAYMENTS : EventTopic.ORDERS;
    }

    @SuppressWarnings("unchecked")
    private static byte[] encode(final SpecificRecord record) {
        final Class<SpecificRecord> type = (Class<SpecificRecord>) record.getClass();
        return SERDES.serde(type).serializer().serialize("t", record);
    }

    private static byte[] noise(final int size) {
        final byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        bytes[0] = 0; // no single-object marker: noise, not a record of an unknown schema
        return bytes;
    }

    private static byte[] bytes(final ByteBuffer buffer) {
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
