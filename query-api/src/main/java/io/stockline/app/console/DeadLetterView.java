package io.stockline.app.console;

import io.stockline.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One dead letter as the console shows it. The original bytes are given as hex, never as text, so nothing a
 * producer wrote can be rendered as markup; only the first {@link #HEX_BYTES} are kept.
 *
 * @param payloadBytes how long the original value was
 * @param payloadHex   its first {@link #HEX_BYTES} bytes in hex, null when there was no value
 */
public record DeadLetterView(String sourceTopic, int partition, long offset, String key, String code,
                             String message, Instant at, int payloadBytes, String payloadHex) {

    public static final int HEX_BYTES = 256;

    static DeadLetterView of(final DeadLetter letter) {
        final ByteBuffer payload = letter.getPayload();
        final byte[] bytes = payload == null ? null : new byte[payload.remaining()];
        if (bytes != null) {
            payload.duplicate().get(bytes);
        }
        return new DeadLetterView(letter.getSourceTopic(), letter.getPartition(), letter.getOffset(), letter.getKey(),
                letter.getCode().name(), letter.getMessage(), letter.getAt(), bytes == null ? 0 : bytes.length,
                bytes == null ? null : HexFormat.of().formatHex(bytes, 0, Math.min(HEX_BYTES, bytes.length)));
    }
}
