package io.stockline.bench;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;

/**
 * A RocksDB setting for measuring what RocksDB tuning can buy the ledger:
 * {@code stockline bench -S rocksdb.config.setter=io.stockline.bench.LargeRocksDbBuffers}.
 *
 * <p>Kafka Streams' defaults give each store a 16 MiB write buffer and a 50 MiB block cache of its
 * own. Here every store gets a 128 MiB write buffer, so a bench run never flushes or compacts, and
 * all stores share one 512 MiB block cache, so every read after the first is served from memory.
 * If this buys nothing measurable, no RocksDB option will: it removes RocksDB's background work.
 */
public final class LargeRocksDbBuffers implements RocksDBConfigSetter {

    private static final long WRITE_BUFFER_BYTES = 128L << 20;
    private static final long SHARED_CACHE_BYTES = 512L << 20;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(SharedCache.INSTANCE);
        options.setTableFormatConfig(table);
        options.setWriteBufferSize(WRITE_BUFFER_BYTES);
    }

    @Override
    public void close(String storeName, Options options) {
        // The shared cache outlives any one store.
    }

    /**
     * One cache for every store of the process, as Kafka's memory-bounding example has it; never closed,
     * because stores come and go with rebalances while the process lives. Made on first use, not when
     * Kafka Streams loads this class while reading its config: RocksDB's native library is loaded only
     * once a store opens.
     */
    private static final class SharedCache {
        static final Cache INSTANCE = new LRUCache(SHARED_CACHE_BYTES);
    }
}
