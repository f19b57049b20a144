package io.stockline.reporting;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the Debezium JDBC sink plugin is: the build unpacks it to {@code connectors/target/plugins/}.
 * Found from the running jar (or classes directory), so {@code ./stockline connect} works from any directory.
 */
public final class PluginPaths {

    /** The directory inside the plugin path that holds the plugin's jars. */
    public static final String JDBC_SINK_DIRECTORY = "debezium-connector-jdbc";
    private static final Path UNDER_ROOT = Path.of("connectors", "target", "plugins");

    private PluginPaths() {
    }

    public static Path jdbcSinkDirectory(final Path pluginPath) {
        return pluginPath.resolve(JDBC_SINK_DIRECTORY);
    }

    /**
     * The first of these that holds the plugin: {@code connectors/target/plugins} of the source tree this
     * code was built in (seen from {@code cli/target/stockline.jar} or {@code connectors/target/classes}),
     * then under the working directory. If none does, the working directory's, for the error message.
     */
    public static Path defaultPluginPath() {
        final List<Path> candidates = new ArrayList<>();
        codeLocation().ifPresent(code -> {
            // .../<root>/<module>/target/<jar or classes>
            final Path target = code.getParent();
            if (target != null && target.getParent() != null && target.getParent().getParent() != null) {
                candidates.add(target.getParent().getParent().resolve(UNDER_ROOT));
            }
        });
        candidates.add(UNDER_ROOT.toAbsolutePath());
        return candidates.stream().filter(p -> Files.isDirectory(jdbcSinkDirectory(p))).findFirst()
                .orElse(UNDER_ROOT.toAbsolutePath());
    }

    private static Optional<Path> codeLocation() {
        final CodeSource source = PluginPaths.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (final URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
