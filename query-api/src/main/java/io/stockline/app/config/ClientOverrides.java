package io.stockline.app.config;

import io.stockline.app.UserError;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Kafka client settings from the operator's properties file (TLS, SASL, timeouts), merged into every
 * client Stockline makes: admin, producer, consumer and Kafka Streams.
 *
 * @param values the settings as written in the file
 */
public record ClientOverrides(Map<String, String> values) {

    public ClientOverrides {
        values = Map.copyOf(Objects.requireNonNull(values, "values"));
    }

    public static ClientOverrides none() {
        return new ClientOverrides(Map.of());
    }

    /** The settings in {@code file}, or none when no file is given. */
    public static ClientOverrides load(final Path file) {
        if (file == null) {
            return none();
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (final NoSuchFileException e) {
            throw new UserError("cannot read the Kafka config file " + file + ": no such file");
        } catch (final IOException | IllegalArgumentException e) {
            throw new UserError("cannot read the Kafka config file " + file + ": " + e.getMessage());
        }
        final Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));
        return new ClientOverrides(values);
    }

    /** Names only: the values are often passwords and JAAS lines. */
    @Override
    public String toString() {
        return "ClientOverrides" + new TreeSet<>(values.keySet());
    }
}
