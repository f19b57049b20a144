package io.stockline.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Avro's single-object encoding, written by hand the way a producer in another language would. */
public final class SingleObject {

    private SingleObject() {
    }

    /** {@code C3 01}, the schema's CRC-64-AVRO fingerprint little-endian, then the record in binary. */
    public static byte[] frame(final Schema schema, final GenericRecord record) {
        final long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xC3, 0x01});
        out.writeBytes(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(fingerprint).array());
        try {
            final BinaryEncoder body = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, body);
        } catch (final IOException e) {
            throw new AssertionError("cannot write " + record, e);
        }
        return out.toByteArray();
    }
}
