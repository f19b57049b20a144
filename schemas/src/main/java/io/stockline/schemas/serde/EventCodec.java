package io.stockline.schemas.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding for one contract record type: marker {@code C3 01}, the writer
 * schema's 8-byte little-endian CRC-64-AVRO fingerprint, then the binary body. Reads every published
 * version of the schema; writes the current one.
 */
public final class EventCodec<T extends SpecificRecord> {

    static {
        AvroSafety.install();
    }

    private final Class<T> type;
    private final SingleObjectCoder<T> coder;

    public EventCodec(final Class<T> type) {
        this.type = type;
        final List<Schema> versions = SchemaVersions.of(type);
        this.coder = new SingleObjectCoder<>(SpecificData.getForClass(type), versions.get(0),
                versions.subList(1, versions.size()));
    }

    public byte[] encode(final T event) {
        try {
            return coder.encode(event);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
        }
    }

    /** Reads a value written with any published version of the schema. */
    public T decode(final byte[] bytes) {
        try {
            return coder.decode(bytes);
        } catch (final MissingSchemaException e) {
            throw unknownSchema(bytes, e);
        } catch (final BadHeaderException e) {
            throw malformed("not Avro single-object encoding (" + e.getMessage() + ")", e);
        } catch (final IOException | AvroRuntimeException | IndexOutOfBoundsException
                       | ClassCastException | NegativeArraySizeException e) {
            throw malformed("cannot read " + type.getSimpleName() + " body: " + describe(e), e);
        }
    }

    private EventDecodeException unknownSchema(final byte[] bytes, final MissingSchemaException e) {
        final long fingerprint = SingleObjectCoder.fingerprintOf(bytes);
        final String owner = SchemaVersions.ownerOf(fingerprint);
        if (owner != null) {
            return new EventDecodeException(DecodeFailure.WRONG_EVENT_TYPE,
                    "expected " + type.getSimpleName() + " but the record is a " + owner, e);
        }
        return new EventDecodeException(DecodeFailure.UNKNOWN_SCHEMA,
                String.format("schema fingerprint %016x is no published version of %s",
                        fingerprint, type.getSimpleName()), e);
    }

    private static EventDecodeException malformed(final String message, final Throwable cause) {
        return new EventDecodeException(DecodeFailure.MALFORMED, message, cause);
    }

    private static String describe(final Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
