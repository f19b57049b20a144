package io.stockline.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

    private static final Path PLUGINS = Path.of("/opt/plugins");

    @Test
    void sinksReadOnlyCommittedRecordsBecauseTheLedgerWritesInTransactions() {
        assertEquals("read_committed", settings(Map.of()).workerProperties().get("consumer.isolation.level"));
    }

    @Test
    void pluginsAreFoundByServiceLoaderOnThePluginPath() {
        final Map<String, String> properties = settings(Map.of()).workerProperties();

        assertEquals("service_load", properties.get("plugin.discovery"));
        assertEquals(PLUGINS.toAbsolutePath().toString(), properties.get("plugin.path"));
        assertEquals("http://127.0.0.1:0", properties.get("listeners"));
        assertEquals(Path.of("data/connect/connect.offsets").toAbsolutePath().toString(),
                properties.get("offset.storage.file.filename"));
    }

    @Test
    void clientSettingsReachEveryClientTheWorkerMakesButNeverReplaceTheCluster() {
        final Map<String, String> properties = settings(Map.of("security.protocol", "SSL",
                "bootstrap.servers", "elsewhere:9092")).workerProperties();

        for (final String prefix : new String[] {"", "consumer.", "producer.", "admin."}) {
            assertEquals("SSL", properties.get(prefix + "security.protocol"), prefix);
        }
        assertEquals("kafka:9092", properties.get("bootstrap.servers"));
        assertEquals("read_committed", properties.get("consumer.isolation.level"));
    }

    @Test
    void restPortMustBeAPort() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerSettings("kafka:9092", Map.of(), PLUGINS,
                Path.of("data"), "127.0.0.1", 70_000));
    }

    private static WorkerSettings settings(final Map<String, String> overrides) {
        return new WorkerSettings("kafka:9092", overrides, PLUGINS, Path.of("data", "connect"), "127.0.0.1", 0);
    }
}
