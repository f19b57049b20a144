package io.stockline.schemas.serde;

import io.stockline.schemas.EventTopic;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Makes Avro safe to point at hostile bytes, without switching any of its checks off.
 *
 * <ul>
 *   <li>Avro 1.12 refuses to instantiate classes outside its trusted set while reading: we widen the
 *       set by exactly the contract's package (and packages named with {@link #trust}) and keep whatever policy was already installed
 *       (including Avro's own system-property one).</li>
 *   <li>A corrupt length prefix must not make the reader allocate gigabytes: unless the operator set
 *       them, Avro's string, bytes and collection limits are capped well above anything a Kafka
 *       record can legitimately hold, and far below what would hurt the heap.</li>
 * </ul>
 */
public final class AvroSafety {

    private static final String CONTRACT_PACKAGE = EventTopic.class.getPackageName();
    private static final String MAX_BYTES = "org.apache.avro.limits.bytes.maxLength";
    private static final String MAX_STRING = "org.apache.avro.limits.string.maxLength";
    private static final String MAX_ITEMS = "org.apache.avro.limits.collectionItems.maxLength";
    private static final String EIGHT_MIB = String.valueOf(8 * 1024 * 1024);
    private static final String MAX_COLLECTION_ITEMS = String.valueOf(1_000_000);
    private static boolean installed;
    private static final java.util.Set<String> TRUSTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private AvroSafety() {
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        setIfAbsent(MAX_BYTES, EIGHT_MIB);
        setIfAbsent(MAX_STRING, EIGHT_MIB);
        setIfAbsent(MAX_ITEMS, MAX_COLLECTION_ITEMS);
        TRUSTED.add(CONTRACT_PACKAGE);
        final ClassSecurityValidator.ClassSecurityPredicate contract =
                type -> TRUSTED.contains(type.getPackageName());
        ClassSecurityValidator.setGlobal(
                ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), contract));
        installed = true;
    }

    /**
     * Trusts the Avro classes of one more package of ours, exactly that package (the ledger's internal
     * records live beside the topology, not in the contract).
     */
    public static void trust(final String packageName) {
        install();
        TRUSTED.add(packageName);
    }

    private static void setIfAbsent(final String property, final String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
