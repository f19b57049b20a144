package io.stockline.cli.compose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile's instructions, stage by stage: as much of the syntax as the consistency test needs (line
 * continuations, comments, {@code --flags}, exec and shell forms, {@code ENV} pairs), none of the rest.
 */
final class Dockerfile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Stage> stages;

    private Dockerfile(final List<Stage> stages) {
        this.stages = List.copyOf(stages);
    }

    static Dockerfile parse(final Path file) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final List<Stage> stages = new ArrayList<>();
        for (final String line : logicalLines(lines)) {
            final Instruction instruction = Instruction.of(line);
            if (instruction.keyword().equals("FROM")) {
                final String[] from = instruction.arguments().split("\\s+");
                stages.add(new Stage(from[0], from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : null,
                        new ArrayList<>()));
            } else if (stages.isEmpty()) {
                throw new AssertionError(file + ": " + instruction.keyword() + " before the first FROM");
            } else {
                stages.get(stages.size() - 1).instructions().add(instruction);
            }
        }
        if (stages.isEmpty()) {
            throw new AssertionError(file + " has no FROM");
        }
        return new Dockerfile(stages);
    }

    List<Stage> stages() {
        return stages;
    }

    /** The stage the image is. */
    Stage image() {
        return stages.get(stages.size() - 1);
    }

    /** One instruction: its keyword, its leading {@code --flags}, and the rest. */
    record Instruction(String keyword, Map<String, String> flags, String arguments) {

        static Instruction of(final String line) {
            final String[] split = line.split("\\s+", 2);
            String rest = split.length > 1 ? split[1] : "";
            final Map<String, String> flags = new LinkedHashMap<>();
            while (rest.startsWith("--")) {
                final String[] flag = rest.split("\\s+", 2);
                final String[] nameValue = flag[0].substring(2).split("=", 2);
                flags.put(nameValue[0], nameValue.length > 1 ? nameValue[1] : "");
                rest = flag.length > 1 ? flag[1] : "";
            }
            return new Instruction(split[0].toUpperCase(Locale.ROOT), flags, rest);
        }

        /** The arguments of an exec-form instruction ({@code ["a", "b"]}); a shell form runs in {@code /bin/sh -c}. */
        List<String> execForm() {
            if (!arguments.startsWith("[")) {
                return List.of("/bin/sh", "-c", arguments);
            }
            try {
                return JSON.readValue(arguments, new TypeReference<List<String>>() { });
            } catch (final JsonProcessingException e) {
                throw new AssertionError(keyword + " is neither a JSON array nor a shell command: " + arguments, e);
            }
        }

        /** The words of the arguments, split at white space. */
        List<String> words() {
            return arguments.isBlank() ? List.of() : List.of(arguments.trim().split("\\s+"));
        }
    }

    /** A stage: its base image, its name ({@code FROM ... AS name}, or null) and its instructions. */
    record Stage(String baseImage, String name, List<Instruction> instructions) {

        List<Instruction> all(final String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** The instruction that counts when there are several: the last. */
        Optional<Instruction> last(final String keyword) {
            final List<Instruction> all = all(keyword);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
        }

        /** The variables its {@code ENV} instructions set, in the {@code KEY=value ...} form. */
        Map<String, String> environment() {
            final Map<String, String> variables = new LinkedHashMap<>();
            for (final Instruction env : all("ENV")) {
                for (final String pair : tokens(env.arguments())) {
                    final String[] keyValue = pair.split("=", 2);
                    if (keyValue.length != 2) {
                        throw new AssertionError("write ENV as KEY=value: " + env.arguments());
                    }
                    variables.put(keyValue[0], keyValue[1]);
                }
            }
            return variables;
        }

        /** What {@code VOLUME} declares, in either form. */
        List<String> volumes() {
            final List<String> volumes = new ArrayList<>();
            for (final Instruction volume : all("VOLUME")) {
                volumes.addAll(volume.arguments().startsWith("[") ? volume.execForm() : volume.words());
            }
            return volumes;
        }
    }

    /** Lines joined at their continuations, without comments and blank lines. */
    private static List<String> logicalLines(final List<String> lines) {
        final List<String> logical = new ArrayList<>();
        final StringBuilder current = new StringBuilder();
        for (final String raw : lines) {
            final String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                logical.add(current.append(line).toString().strip());
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            logical.add(current.toString().strip());
        }
        return logical;
    }

    /** Words split at white space outside double quotes, the quotes removed. */
    private static List<String> tokens(final String text) {
        final List<String> tokens = new ArrayList<>();
        final StringBuilder token = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (token.length() > 0) {
                    tokens.add(token.toString());
                    token.setLength(0);
                }
            } else {
                token.append(c);
            }
        }
        if (token.length() > 0) {
            tokens.add(token.toString());
        }
        return tokens;
    }
}
