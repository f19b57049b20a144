package io.stockline.cli.compose;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A docker-compose.yml read the way Compose reads it, as far as the consistency test needs: anchors,
 * aliases and merge keys resolved, and every {@code ${VAR:-default}} interpolated to its default, as if
 * none of the variables were set. A variable without a default is an error: the stack must come up
 * without a {@code .env} file.
 */
final class ComposeFile {

    /** The stack, from the repository root. */
    static final String PATH = "compose/docker-compose.yml";
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private final Path directory;
    private final Map<String, Object> document;

    private ComposeFile(final Path directory, final Map<String, Object> document) {
        this.directory = directory;
        this.document = document;
    }

    static ComposeFile load(final Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            final Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            return new ComposeFile(file.toAbsolutePath().getParent(), map(interpolated(parsed), "the file"));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository this test runs in: the first directory up from here that holds the compose file. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(PATH))) {
                return dir;
            }
        }
        throw new AssertionError("no " + PATH + " above " + Path.of("").toAbsolutePath());
    }

    /** The directory relative paths in the file start from. */
    Path directory() {
        return directory;
    }

    /** Every service, profiles or not, in the file's order. */
    Map<String, Service> services() {
        final Map<String, Service> services = new LinkedHashMap<>();
        map(document.get("services"), "services").forEach((name, definition) ->
                services.put(name, new Service(name, map(definition, name), directory)));
        return services;
    }

    Service service(final String name) {
        final Service service = services().get(name);
        if (service == null) {
            throw new AssertionError("no service '" + name + "' in the compose file");
        }
        return service;
    }

    /** The named volumes the file declares. */
    Set<String> volumes() {
        final Object volumes = document.get("volumes");
        return volumes == null ? Set.of() : map(volumes, "volumes").keySet();
    }

    /** A port a service publishes: on the host ({@code null} when Docker picks one), to the container. */
    record Port(String hostPort, int containerPort) {
    }

    /** A mount: a named volume or a host path (resolved against the compose file's directory), and where. */
    record Mount(String source, String target, boolean namedVolume) {
    }

    /** One service's definition. */
    record Service(String name, Map<String, Object> definition, Path directory) {

        Optional<String> image() {
            return Optional.ofNullable((String) definition.get("image"));
        }

        Optional<String> hostname() {
            return Optional.ofNullable((String) definition.get("hostname"));
        }

        List<String> profiles() {
            return strings(definition.getOrDefault("profiles", List.of()));
        }

        String restart() {
            return String.valueOf(definition.getOrDefault("restart", "no"));
        }

        boolean hasHealthcheck() {
            final Object healthcheck = definition.get("healthcheck");
            return healthcheck != null && !Boolean.TRUE.equals(map(healthcheck, name).get("disable"));
        }

        /** The service's build settings, {@code context} and the rest; empty when it is not built. */
        Map<String, Object> build() {
            final Object build = definition.get("build");
            if (build == null) {
                return Map.of();
            }
            return build instanceof String context ? Map.of("context", context) : map(build, name + ".build");
        }

        /** The Dockerfile the service is built from: {@code build.dockerfile} within {@code build.context}. */
        Optional<Path> dockerfile() {
            final Object build = definition.get("build");
            if (build == null) {
                return Optional.empty();
            }
            if (build instanceof String context) {
                return Optional.of(directory.resolve(context).resolve("Dockerfile").normalize());
            }
            final Map<String, Object> settings = map(build, name + ".build");
            final Path context = directory.resolve((String) settings.getOrDefault("context", "."));
            return Optional.of(context.resolve((String) settings.getOrDefault("dockerfile", "Dockerfile")).normalize());
        }

        Map<String, String> environment() {
            final Object environment = definition.get("environment");
            final Map<String, String> variables = new LinkedHashMap<>();
            if (environment instanceof List<?> list) {
                for (final Object entry : list) {
                    final String[] parts = String.valueOf(entry).split("=", 2);
                    variables.put(parts[0], parts.length == 2 ? parts[1] : "");
                }
            } else if (environment != null) {
                map(environment, name + ".environment").forEach((key, value) ->
                        variables.put(key, value == null ? "" : String.valueOf(value)));
            }
            return variables;
        }

        /** The {@code command}, empty when the image's own runs. */
        List<String> command() {
            final Object command = definition.get("command");
            if (command instanceof String line) {
                return List.of(line.trim().split("\\s+"));
            }
            return command == null ? List.of() : strings(command);
        }

        List<Port> ports() {
            final List<Port> ports = new ArrayList<>();
            for (final Object port : (List<?>) definition.getOrDefault("ports", List.of())) {
                if (port instanceof Map<?, ?> longSyntax) {
                    final Object published = longSyntax.get("published");
                    ports.add(new Port(published == null ? null : String.valueOf(published),
                            Integer.parseInt(String.valueOf(longSyntax.get("target")))));
                } else {
                    final String[] parts = String.valueOf(port).replaceFirst("/(tcp|udp)$", "").split(":");
                    ports.add(new Port(parts.length > 1 ? parts[parts.length - 2] : null,
                            Integer.parseInt(parts[parts.length - 1])));
                }
            }
            return ports;
        }

        List<Mount> volumes() {
            final List<Mount> mounts = new ArrayList<>();
            for (final Object volume : (List<?>) definition.getOrDefault("volumes", List.of())) {
                final String source;
                final String target;
                if (volume instanceof Map<?, ?> longSyntax) {
                    source = String.valueOf(longSyntax.get("source"));
                    target = String.valueOf(longSyntax.get("target"));
                } else {
                    final String[] parts = String.valueOf(volume).split(":");
                    source = parts[0];
                    target = parts.length > 1 ? parts[1] : parts[0];
                }
                final boolean hostPath = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
                mounts.add(new Mount(hostPath ? directory.resolve(source).normalize().toString() : source, target,
                        !hostPath));
            }
            return mounts;
        }

        /** The services this one waits for, each with its condition. */
        Map<String, String> dependsOn() {
            final Object dependsOn = definition.get("depends_on");
            final Map<String, String> conditions = new LinkedHashMap<>();
            if (dependsOn instanceof List<?> list) {
                list.forEach(service -> conditions.put(String.valueOf(service), "service_started"));
            } else if (dependsOn != null) {
                map(dependsOn, name + ".depends_on").forEach((service, settings) -> conditions.put(service,
                        String.valueOf(map(settings, name + ".depends_on." + service)
                                .getOrDefault("condition", "service_started"))));
            }
            return conditions;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Object node, final String what) {
        if (!(node instanceof Map<?, ?>)) {
            throw new AssertionError(what + " is not a mapping: " + node);
        }
        return (Map<String, Object>) node;
    }

    private static List<String> strings(final Object node) {
        return ((List<?>) node).stream().map(String::valueOf).toList();
    }

    private static Object interpolated(final Object node) {
        if (node instanceof Map<?, ?> map) {
            final Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, value) -> copy.put(key, interpolated(value)));
            return copy;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(ComposeFile::interpolated).toList();
        }
        return node instanceof String text ? interpolate(text) : node;
    }

    private static String interpolate(final String text) {
        final Matcher matcher = VARIABLE.matcher(text);
        final StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            final String replacement;
            if (matcher.group().equals("$$")) {
                replacement = "$";
            } else if (matcher.group(2) != null) {
                replacement = matcher.group(2);
            } else {
                throw new AssertionError("'" + text + "' uses a variable without a default: write "
                        + "${NAME:-value}, so that the stack comes up without a .env file");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
