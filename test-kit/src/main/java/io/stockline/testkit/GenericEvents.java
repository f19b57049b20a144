package io.stockline.testkit;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Events built field by field from a schema rather than from the generated classes: an older version of a
 * contract schema, or the view of a producer that has only the {@code .avsc} files.
 */
public final class GenericEvents {

    private GenericEvents() {
    }

    /** A record of {@code schema} with the given fields set: name, value, name, value, ... */
    public static GenericRecord record(final Schema schema, final Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        final GenericRecord record = new GenericData.Record(schema);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            record.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return record;
    }

    /** The value of {@code schema}'s {@code lines} field: one order line of {@code quantity} of {@code sku}. */
    public static List<GenericRecord> oneLine(final Schema schema, final String sku, final long quantity) {
        return List.of(record(schema.getField("lines").schema().getElementType(), "sku", sku, "quantity", quantity));
    }
}
