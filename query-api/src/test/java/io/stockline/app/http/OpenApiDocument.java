package io.stockline.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** An OpenAPI description read as a tree: its operations, their parameters and responses, {@code $ref}s followed. */
final class OpenApiDocument {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    /** One method on one path template, as {@code GET /stock/{sku}}. */
    record Operation(String method, String path, JsonNode node) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private final JsonNode root;

    OpenApiDocument(final JsonNode root) {
        this.root = root;
    }

    List<Operation> operations() {
        final List<Operation> operations = new ArrayList<>();
        root.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            if (METHODS.contains(method.getKey())) {
                operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), method.getValue()));
            }
        }));
        return operations;
    }

    List<JsonNode> parameters(final Operation operation) {
        final List<JsonNode> parameters = new ArrayList<>();
        operation.node().path("parameters").forEach(parameter -> parameters.add(resolve(parameter)));
        return parameters;
    }

    /** Every media type the operation's responses are described in: what a client of it accepts. */
    Set<String> mediaTypes(final Operation operation) {
        final Set<String> types = new LinkedHashSet<>();
        operation.node().path("responses").forEach(response ->
                resolve(response).path("content").fieldNames().forEachRemaining(types::add));
        return types;
    }

    /** The response described for {@code status}, or a missing node when none is. */
    JsonNode response(final Operation operation, final int status) {
        final JsonNode response = operation.node().path("responses").path(String.valueOf(status));
        return response.isMissingNode() ? response : resolve(response);
    }

    /** The node itself, or what its {@code $ref} (a local JSON pointer) names, followed to the end. */
    JsonNode resolve(final JsonNode node) {
        JsonNode resolved = node;
        while (resolved.has("$ref")) {
            final String ref = resolved.get("$ref").asText();
            resolved = root.at(ref.substring(1));
            if (!ref.startsWith("#/") || resolved.isMissingNode()) {
                throw new IllegalArgumentException("openapi.json refers to " + ref + ", which it does not hold");
            }
        }
        return resolved;
    }
}
