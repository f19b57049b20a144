package io.stockline.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro single-object encoding (marker {@code C3 01}, the writer schema's 8-byte little-endian CRC-64-AVRO
 * fingerprint, the binary body) for one record type, byte for byte what Avro's {@code BinaryMessageEncoder} writes
 * and {@code BinaryMessageDecoder} reads; callers say what a failure means to them.
 *
 * <p>It goes through Avro's array-backed coders instead of those message classes, which read a body one byte at a
 * time through an {@code InputStream} and write it through a stream of buffers: every event, outcome, order and
 * level the ledger reads or writes passes here, so a call per byte and a buffer per record add up.
 */
public final class SingleObjectCoder<A> {

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final int HEADER_LENGTH = 10;

    private final byte[] header;
    private final SpecificDatumWriter<A> writer;
    /** A reader for each version of the schema, by fingerprint, each resolving to the current one. */
    private final Map<Long, SpecificDatumReader<A>> readers = new HashMap<>();
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

    /**
     * @param current the schema written, and read into
     * @param older   other versions it reads, resolved to {@code current}
     */
    public SingleObjectCoder(final SpecificData model, final Schema current, final List<Schema> older) {
        this.header = header(current);
        this.writer = new SpecificDatumWriter<>(current, model);
        readers.put(SchemaNormalization.parsingFingerprint64(current), new SpecificDatumReader<>(current, current,
                model));
        for (final Schema version : older) {
            readers.putIfAbsent(SchemaNormalization.parsingFingerprint64(version),
                    new SpecificDatumReader<>(version, current, model));
        }
    }

    public byte[] encode(final A record) throws IOException {
        final Buffers own = buffers.get();
        own.out.reset();
        own.out.write(header, 0, HEADER_LENGTH);
        own.encoder = EncoderFactory.get().binaryEncoder(own.out, own.encoder);
        writer.write(record, own.encoder);
        own.encoder.flush();
        return own.out.toByteArray();
    }

    /**
     * Reads a record any known version wrote.
     *
     * @throws BadHeaderException     when the bytes do not start with a single-object header
     * @throws MissingSchemaException when the fingerprint is no known version's
     * @throws IOException            when the body is cut short
     */
    public A decode(final byte[] bytes) throws IOException {
        final SpecificDatumReader<A> reader = readerFor(bytes);
        final Buffers own = buffers.get();
        own.decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH,
                own.decoder);
        return reader.read(null, own.decoder);
    }

    private SpecificDatumReader<A> readerFor(final byte[] bytes) {
        // Avro's own words for both, which a dead letter quotes.
        if (bytes.length < HEADER_LENGTH) {
            throw new BadHeaderException("Not enough header bytes");
        }
        if (bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            throw new BadHeaderException(String.format("Unrecognized header bytes: 0x%02X 0x%02X", bytes[0], bytes[1]));
        }
        final long fingerprint = fingerprintOf(bytes);
        final SpecificDatumReader<A> reader = readers.get(fingerprint);
        if (reader == null) {
            throw new MissingSchemaException("Cannot resolve schema for fingerprint: " + fingerprint);
        }
        return reader;
    }

    /** The writer schema's fingerprint in a value that has a whole header. */
    static long fingerprintOf(final byte[] bytes) {
        long fingerprint = 0;
        for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xFF);
        }
        return fingerprint;
    }

    private static byte[] header(final Schema schema) {
        final byte[] header = new byte[HEADER_LENGTH];
        header[0] = MARKER_0;
        header[1] = MARKER_1;
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        for (int i = 2; i < HEADER_LENGTH; i++) {
            header[i] = (byte) fingerprint;
            fingerprint >>>= 8;
        }
        return header;
    }

    /** One thread's output buffer and coders, reused from record to record. */
    private static final class Buffers {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        private BinaryEncoder encoder;
        private BinaryDecoder decoder;
    }
}
