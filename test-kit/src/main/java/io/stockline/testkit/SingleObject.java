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
        try {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0xC3);
            out.write(0x01);
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(SchemaNormalization.parsingFingerprint64(schema)).array());
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (final IOException e) {
            throw new AssertionError(e);
        }
    }
}
