package io.stockline.reporting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The reporting connectors, one JSON file per table in {@code connectors/src/main/connect} (shipped in the
 * jar under {@code connect/}), in the plain {@code {"name": ..., "config": {...}}} shape. The connection
 * settings in them are placeholders, filled in from a {@link SinkDatabase}; the password becomes a
 * reference to a file, resolved by Kafka Connect only where it connects.
 */
public final class ReportingConnectors {

    /** The files, in the order the tables are listed. */
    public static final List<String> FILES = List.of("stock_levels.json", "stock_movements.json",
            "stock_places.json", "order_status.json");
    public static final String JDBC_URL = "${jdbc.url}";
    public static final String DB_USER = "${db.user}";
    public static final String DB_PASSWORD = "${db.password}";
    static final String PASSWORD_KEY = "password";

    private static final String RESOURCE_DIR = "/connect/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportingConnectors() {
    }

    /** The topics the connectors read, each once, in the order of their files. */
    public static List<String> topics() {
        return templates().stream().map(ConnectorDefinition::topic).distinct().toList();
    }

    /** The connectors as written in their files, placeholders and all. */
    public static List<ConnectorDefinition> templates() {
        return FILES.stream().map(ReportingConnectors::read).toList();
    }

    /**
     * The connectors, writing to {@code database}; the password is not in them but read by Kafka Connect
     * from {@code secretsFile} (key {@value #PASSWORD_KEY}), which the caller writes.
     */
    public static List<ConnectorDefinition> forDatabase(final SinkDatabase database, final Path secretsFile) {
        final String file = secretsFile.toAbsolutePath().toString();
        if (file.contains(":") || file.contains("}")) {
            throw new IllegalArgumentException("Kafka Connect cannot name a secrets file whose path holds ':' or '}': "
                    + file);
        }
        final Map<String, String> values = Map.of(JDBC_URL, database.sinkJdbcUrl(), DB_USER, database.user(),
                DB_PASSWORD, "${file:" + file + ":" + PASSWORD_KEY + "}");
        return templates().stream().map(template -> {
            final Map<String, String> config = new HashMap<>();
            template.config().forEach((key, value) -> config.put(key, values.getOrDefault(value, value)));
            return new ConnectorDefinition(template.name(), config);
        }).toList();
    }

    /** Writes the password where {@link #forDatabase} says it is, readable by its owner only. */
    public static void writeSecrets(final SinkDatabase database, final Path secretsFile) {
        final Properties secrets = new Properties();
        secrets.setProperty(PASSWORD_KEY, database.password());
        try {
            Files.createDirectories(secretsFile.toAbsolutePath().getParent());
            Files.deleteIfExists(secretsFile);
            Files.createFile(secretsFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer writer = Files.newBufferedWriter(secretsFile, StandardCharsets.UTF_8)) {
                secrets.store(writer, "the reporting database's password, for Kafka Connect's FileConfigProvider");
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + secretsFile, e);
        }
    }

    private static ConnectorDefinition read(final String file) {
        try (InputStream in = ReportingConnectors.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("connector file " + RESOURCE_DIR + file + " is not on the classpath");
            }
            final JsonNode root = JSON.readTree(in);
            final String name = root.path("name").asText(null);
            final JsonNode settings = root.path("config");
            if (name == null || !settings.isObject()) {
                throw new IllegalStateException("connector file " + file + " is not {\"name\": ..., \"config\": {...}}");
            }
            final Map<String, String> config = new HashMap<>();
            for (final Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
                final Map.Entry<String, JsonNode> setting = it.next();
                config.put(setting.getKey(), setting.getValue().asText());
            }
            config.put("name", name);
            return new ConnectorDefinition(name, config);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read connector file " + file, e);
        }
    }
}
