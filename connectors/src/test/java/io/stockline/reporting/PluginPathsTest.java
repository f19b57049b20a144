package io.stockline.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The build unpacks the Debezium JDBC sink where the worker looks for it, complete with what it needs. */
class PluginPathsTest {

    private static final Path BUILT = Path.of(System.getProperty("stockline.plugin.path"));

    @Test
    void pluginIsFoundFromTheBuiltCodeWhateverTheWorkingDirectory() {
        assertEquals(BUILT.toAbsolutePath().normalize(), PluginPaths.defaultPluginPath().toAbsolutePath().normalize());
    }

    @Test
    void connectorAnnouncesItselfToServiceLoaderSoServiceLoadDiscoveryFindsIt() throws IOException {
        final Path connectorJar = jar("debezium-connector-jdbc-");
        try (JarFile jar = new JarFile(connectorJar.toFile());
             InputStream services = jar.getInputStream(
                     jar.getEntry("META-INF/services/org.apache.kafka.connect.sink.SinkConnector"))) {
            assertEquals("io.debezium.connector.jdbc.JdbcSinkConnector",
                    new String(services.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }

    @Test
    void pluginShipsTheJdbcDriversForBothUrlSchemes() throws IOException {
        jar("mariadb-java-client-");
        jar("mysql-connector-j-");
    }

    private static Path jar(final String prefix) throws IOException {
        try (Stream<Path> files = Files.list(PluginPaths.jdbcSinkDirectory(BUILT))) {
            final List<Path> matches = files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".jar")).toList();
            assertTrue(matches.size() == 1, prefix + "*.jar in the plugin: " + matches);
            return matches.get(0);
        }
    }
}
