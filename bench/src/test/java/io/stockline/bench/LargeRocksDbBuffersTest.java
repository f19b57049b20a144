package io.stockline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class LargeRocksDbBuffersTest {

    @Test
    void everyStoreGetsTheLargeWriteBuffer() {
        RocksDB.loadLibrary();
        try (Options first = storeOptions(); Options second = storeOptions()) {
            long streamsDefault = first.writeBufferSize();

            new LargeRocksDbBuffers().setConfig("orders-store", first, Map.of());
            new LargeRocksDbBuffers().setConfig("stock-levels-store", second, Map.of());

            assertNotEquals(128L << 20, streamsDefault, "the default must differ for the test to mean anything");
            assertEquals(128L << 20, first.writeBufferSize());
            assertEquals(128L << 20, second.writeBufferSize());
        }
    }

    private static Options storeOptions() {
        Options options = new Options();
        options.setTableFormatConfig(new BlockBasedTableConfig());
        return options;
    }
}
