package io.stockline.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * A validator for the part of JSON Schema that openapi.json uses. A keyword it does not know is an error, not
 * skipped, so the description cannot promise something that {@link OpenApiTest} never checks.
 */
final class SchemaSubset {

    private static final Set<String> KEYWORDS = Set.of("$ref", "type", "enum", "properties", "required",
            "additionalProperties", "items", "uniqueItems", "minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength", "format",
            "description", "default");

    private final OpenApiDocument document;

    SchemaSubset(final OpenApiDocument document) {
        this.document = document;
    }

    /** What is wrong with {@code value}, each as {@code $.path: problem}; empty when it is valid. */
    List<String> errors(final JsonNode schema, final JsonNode value) {
        final List<String> errors = new ArrayList<>();
        check(schema, value, "$", errors);
        return errors;
    }

    private void check(final JsonNode schema, final JsonNode value, final String at, final List<String> errors) {
        schema.fieldNames().forEachRemaining(keyword -> {
            if (!KEYWORDS.contains(keyword)) {
                throw new IllegalArgumentException("the schema at " + at + " uses '" + keyword + "', which this "
                        + "validator does not check: teach SchemaSubset it, or describe the body without it");
            }
        });
        if (schema.has("$ref")) {
            check(document.resolve(schema), value, at, errors);
        } else if (!hasType(schema.path("type"), value)) {
            errors.add(at + ": " + value.getNodeType() + " where " + schema.get("type") + " is described");
        } else if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            errors.add(at + ": " + value + " is not one of " + schema.get("enum"));
        } else {
            object(schema, value, at, errors);
            array(schema, value, at, errors);
            number(schema, value, at, errors);
            text(schema, value, at, errors);
        }
    }

    private static boolean hasType(final JsonNode type, final JsonNode value) {
        if (type.isMissingNode()) {
            return true;
        }
        final Iterable<JsonNode> types = type.isArray() ? type : List.of(type);
        return StreamSupport.stream(types.spliterator(), false).anyMatch(t -> is(t.asText(), value));
    }

    private static boolean is(final String type, final JsonNode value) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> throw new IllegalArgumentException("no JSON Schema type " + type);
        };
    }

    private static boolean contains(final JsonNode values, final JsonNode value) {
        return StreamSupport.stream(values.spliterator(), false).anyMatch(value::equals);
    }

    private void object(final JsonNode schema, final JsonNode value, final String at, final List<String> errors) {
        if (!value.isObject()) {
            return;
        }
        schema.path("required").forEach(name -> {
            if (!value.has(name.asText())) {
                errors.add(at + ": no " + name.asText());
            }
        });
        final JsonNode properties = schema.path("properties");
        value.fields().forEachRemaining(field -> {
            final JsonNode additional = schema.path("additionalProperties");
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), at + "." + field.getKey(), errors);
            } else if (additional.isObject()) {
                check(additional, field.getValue(), at + "." + field.getKey(), errors);
            } else if (closed(schema)) {
                errors.add(at + ": " + field.getKey() + " is not described");
            }
        });
    }

    private static boolean closed(final JsonNode schema) {
        final JsonNode additional = schema.path("additionalProperties");
        if (!additional.isMissingNode() && !additional.isBoolean()) {
            throw new IllegalArgumentException("this validator checks additionalProperties as true, false or a schema");
        }
        return !additional.asBoolean(true);
    }

    private void array(final JsonNode schema, final JsonNode value, final String at, final List<String> errors) {
        if (!value.isArray()) {
            return;
        }
        for (int i = 0; i < value.size(); i++) {
            if (schema.has("items")) {
                check(schema.get("items"), value.get(i), at + "[" + i + "]", errors);
            }
        }
        final Set<JsonNode> distinct = new HashSet<>();
        value.forEach(distinct::add);
        if (schema.path("uniqueItems").asBoolean() && distinct.size() != value.size()) {
            errors.add(at + ": items repeat");
        }
        if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()
                || schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
            errors.add(at + ": " + value.size() + " items, outside " + schema.path("minItems") + " to "
                    + schema.path("maxItems"));
        }
    }

    private static void number(final JsonNode schema, final JsonNode value, final String at,
                               final List<String> errors) {
        if (!value.isNumber()) {
            return;
        }
        if (schema.has("minimum") && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0
                || schema.has("maximum") && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
            errors.add(at + ": " + value + " is outside the described range");
        }
        if (schema.has("format") && !fits(schema.get("format").asText(), value)) {
            errors.add(at + ": " + value + " is not " + schema.get("format").asText());
        }
    }

    private static boolean fits(final String format, final JsonNode value) {
        return switch (format) {
            case "int64" -> value.canConvertToLong();
            case "int32" -> value.canConvertToInt();
            default -> throw new IllegalArgumentException("this validator does not check the number format " + format);
        };
    }

    private static void text(final JsonNode schema, final JsonNode value, final String at, final List<String> errors) {
        if (!value.isTextual()) {
            return;
        }
        final int length = value.asText().codePointCount(0, value.asText().length());
        if (length < schema.path("minLength").asInt(0) || length > schema.path("maxLength").asInt(Integer.MAX_VALUE)) {
            errors.add(at + ": a string of " + length + " characters is outside the described length");
        }
        if (schema.has("format") && !isFormatted(schema.get("format").asText(), value.asText())) {
            errors.add(at + ": '" + value.asText() + "' is not a " + schema.get("format").asText());
        }
    }

    private static boolean isFormatted(final String format, final String text) {
        if (!format.equals("date-time")) {
            throw new IllegalArgumentException("this validator does not check the string format " + format);
        }
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (final DateTimeParseException e) {
            return false;
        }
    }
}
