package io.stockline.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockline.app.http.OpenApiDocument.Operation;
import io.stockline.schemas.api.ApiPaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The requests {@link OpenApiTest} makes of one described operation, built from the description alone so
 * that a newly described route is tried with no change to the test: first its parameters' examples, then
 * each parameter in turn set to a value that draws an error answer (unknown, busy, out of range).
 */
final class Probes {

    private Probes() {
    }

    /** Paths with their query strings; the first is the one made of the examples. */
    static List<String> targets(final OpenApiDocument description, final Operation operation) {
        final List<JsonNode> parameters = description.parameters(operation);
        final Map<String, String> examples = examples(operation, parameters);
        final List<String> targets = new ArrayList<>(List.of(target(operation.path(), parameters, examples)));
        for (final JsonNode parameter : parameters) {
            for (final String value : awkwardValues(parameter.path("schema"))) {
                final Map<String, String> values = new LinkedHashMap<>(examples);
                values.put(parameter.get("name").asText(), value);
                targets.add(target(operation.path(), parameters, values));
            }
        }
        return targets;
    }

    private static Map<String, String> examples(final Operation operation, final List<JsonNode> parameters) {
        final Map<String, String> examples = new LinkedHashMap<>();
        for (final JsonNode parameter : parameters) {
            final JsonNode example = parameter.path("example");
            if (!example.isMissingNode()) {
                examples.put(parameter.get("name").asText(), example.asText());
            } else if (parameter.path("in").asText().equals("path")) {
                throw new IllegalArgumentException("describe an example for the path parameter "
                        + parameter.get("name") + " of " + operation + ": the test asks for it");
            }
        }
        return examples;
    }

    private static String target(final String template, final List<JsonNode> parameters,
                                 final Map<String, String> values) {
        String path = template;
        final StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        for (final JsonNode parameter : parameters) {
            final String name = parameter.get("name").asText();
            final String value = values.get(name);
            if (value != null && parameter.get("in").asText().equals("path")) {
                path = path.replace("{" + name + "}", ApiPaths.encode(value));
            } else if (value != null) {
                query.add(name + "=" + ApiPaths.encode(value));
            }
        }
        return path + query;
    }

    /** Values the fake ledger does not hold, cannot answer for yet, or the schema rules out. */
    private static List<String> awkwardValues(final JsonNode schema) {
        final List<String> values = new ArrayList<>();
        switch (schema.path("type").asText()) {
            case "string" -> {
                values.add("no-such-key");
                values.add(FakeQueries.BUSY);
                if (schema.has("maxLength")) {
                    values.add("x".repeat(schema.get("maxLength").asInt() + 1));
                }
            }
            case "integer" -> {
                values.add("not-a-number");
                if (schema.has("minimum")) {
                    values.add(String.valueOf(schema.get("minimum").asLong() - 1));
                }
                if (schema.has("maximum")) {
                    values.add(String.valueOf(schema.get("maximum").asLong() + 1));
                }
            }
            case "boolean" -> values.addAll(List.of("true", "maybe"));
            default -> {
                // no awkward value known for this type: the examples alone are asked
            }
        }
        return values;
    }
}
