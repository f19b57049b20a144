package io.stockline.topology;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * Kafka Streams' persistent key-value store, except that the change-logging layer above it does not get a copy of
 * the store's position for every write.
 *
 * <p>In Kafka Streams 4.4 every put through the changelog asks the store under it for its position, and the RocksDB
 * store answers with a deep copy merged with the open transaction's deltas (nested concurrent maps over every input
 * topic of the task), which the changelog then uses only to stamp a consistency vector on the record when
 * Streams' internal {@code IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED} is on. The ledger does not switch it on, and the copy
 * was 7 % of the stream thread in the flash sale and 9 % in the mixed run (docs/PERFORMANCE.md). With the vector on,
 * the position is the store's own, as before.
 *
 * <p>Everything else, reads at an isolation level and interactive queries included, is the RocksDB store's own: the
 * store still tracks its position, and queries read it there.
 */
final class UncopiedPositionStore extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
        implements KeyValueStore<Bytes, byte[]> {

    private boolean vectorsOn;

    private UncopiedPositionStore(final KeyValueStore<Bytes, byte[]> rocks) {
        super(rocks);
    }

    /** {@link Stores#persistentKeyValueStore(String)} with this wrapper around each store it makes. */
    static KeyValueBytesStoreSupplier persistent(final String name) {
        final KeyValueBytesStoreSupplier rocks = Stores.persistentKeyValueStore(name);
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return rocks.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new UncopiedPositionStore(rocks.get());
            }

            @Override
            public String metricsScope() {
                return rocks.metricsScope();
            }
        };
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        vectorsOn = vectorsOn(context.appConfigs());
        super.init(context, root);
    }

    static boolean vectorsOn(final Map<String, Object> configs) {
        return StreamsConfig.InternalConfig.getBoolean(configs,
                StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, false);
    }

    /** The store's position where a consistency vector needs it; otherwise an empty one, which nothing reads. */
    @Override
    public Position getPosition() {
        return vectorsOn ? wrapped().getPosition() : Position.emptyPosition();
    }

    @Override
    public void put(final Bytes key, final byte[] value) {
        wrapped().put(key, value);
    }

    @Override
    public byte[] putIfAbsent(final Bytes key, final byte[] value) {
        return wrapped().putIfAbsent(key, value);
    }

    @Override
    public void putAll(final List<KeyValue<Bytes, byte[]>> entries) {
        wrapped().putAll(entries);
    }

    @Override
    public byte[] delete(final Bytes key) {
        return wrapped().delete(key);
    }

    @Override
    public byte[] get(final Bytes key) {
        return wrapped().get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(final Bytes from, final Bytes to) {
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(final Bytes from, final Bytes to) {
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(final P prefix,
                                                                                  final PS prefixKeySerializer) {
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(final IsolationLevel isolationLevel) {
        return wrapped().readOnly(isolationLevel);
    }
}
