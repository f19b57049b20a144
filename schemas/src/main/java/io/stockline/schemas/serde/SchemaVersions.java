package io.stockline.schemas.serde;

import io.stockline.schemas.EventTopic;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every published version of each contract schema. Older versions are kept as
 * {@code avro/<Record>.v<N>.avsc} resources beside the current {@code <Record>.avsc}; the current
 * version is the generated class's own schema.
 */
public final class SchemaVersions {

    private static final String RESOURCE_DIR = "avro/";
    private static final Map<Long, String> OWNER_BY_FINGERPRINT = indexContract();

    private SchemaVersions() {
    }

    /** The current schema first, then every older published version, oldest first. */
    public static List<Schema> of(final Class<? extends SpecificRecord> type) {
        final List<Schema> versions = new ArrayList<>();
        versions.add(SpecificData.get().getSchema(type));
        for (int version = 1; ; version++) {
            final String resource = RESOURCE_DIR + type.getSimpleName() + ".v" + version + ".avsc";
            try (InputStream in = SchemaVersions.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read schema resource " + resource, e);
            }
        }
    }

    public static long fingerprint(final Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** The full name of the contract record whose published version has this fingerprint, or null. */
    public static String ownerOf(final long fingerprint) {
        return OWNER_BY_FINGERPRINT.get(fingerprint);
    }

    private static Map<Long, String> indexContract() {
        final Map<Long, String> owners = new HashMap<>();
        for (final EventTopic topic : EventTopic.values()) {
            for (final Schema schema : of(topic.valueType())) {
                owners.put(fingerprint(schema), schema.getFullName());
            }
        }
        return owners;
    }
}
