package io.stockline.schemas.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Contract events as plain JSON, driven by the Avro schema: field names as in the schema, an optional
 * field as its value or null (or left out), an enum as its symbol, a timestamp as an ISO-8601 string
 * (epoch millis are accepted too), bytes as base64.
 *
 * <p>Reading builds Avro's plain representation and lets Avro itself turn it into the generated class,
 * so timestamps and enums get exactly the conversions the serdes use.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EventJson() {
    }

    /** One line of JSON as an event of {@code type}. */
    public static <T extends SpecificRecord> T read(final String json, final Class<T> type)
            throws InvalidEventException {
        final JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (final JsonProcessingException e) {
            throw new InvalidEventException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidEventException("expected a JSON object");
        }
        final Schema schema = SpecificData.get().getSchema(type);
        return viaBinary(toAvro(node, schema, ""), schema, type);
    }

    /** The event as one line of JSON that {@link #read} turns back into an equal event. */
    public static String write(final IndexedRecord event) {
        try {
            return MAPPER.writeValueAsString(toJson(event, event.getSchema()));
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + event.getSchema().getName() + " as JSON", e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static <T extends SpecificRecord> T viaBinary(final Object raw, final Schema schema,
                                                          final Class<T> type) throws InvalidEventException {
        try {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new GenericDatumWriter<>(schema, GenericData.get()).write(raw, encoder);
            encoder.flush();
            return new SpecificDatumReader<>(type).read(null,
                    DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (final IOException | AvroRuntimeException | ClassCastException e) {
            throw new InvalidEventException("not a valid " + schema.getName() + ": " + e.getMessage());
        }
    }

    // JSON to Avro's plain representation.

    private static Object toAvro(final JsonNode node, final Schema schema, final String path)
            throws InvalidEventException {
        return switch (schema.getType()) {
            case RECORD -> record(node, schema, path);
            case UNION -> union(node, schema, path);
            case ARRAY -> array(node, schema, path);
            case MAP -> map(node, schema, path);
            case ENUM -> enumSymbol(node, schema, path);
            case STRING -> text(node, path);
            case LONG -> isTimestamp(schema) ? timestamp(node, path) : wholeNumber(node, path);
            case INT -> intValue(node, path);
            case BOOLEAN -> bool(node, path);
            case DOUBLE -> number(node, path).doubleValue();
            case FLOAT -> number(node, path).floatValue();
            case BYTES -> ByteBuffer.wrap(base64(node, path));
            case FIXED -> new GenericData.Fixed(schema, base64(node, path));
            case NULL -> nullValue(node, path);
        };
    }

    private static GenericData.Record record(final JsonNode node, final Schema schema, final String path)
            throws InvalidEventException {
        if (!node.isObject()) {
            throw invalid(path, "must be an object");
        }
        final GenericData.Record record = new GenericData.Record(schema);
        for (final Schema.Field field : schema.getFields()) {
            final String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            final JsonNode value = node.get(field.name());
            if (value == null && field.hasDefaultValue()) {
                record.put(field.pos(), GenericData.get().getDefaultValue(field));
            } else if (value == null && !acceptsNull(field.schema())) {
                throw invalid(fieldPath, "is required");
            } else {
                record.put(field.pos(), toAvro(value == null ? NODES.nullNode() : value, field.schema(), fieldPath));
            }
        }
        rejectUnknownFields(node, schema, path);
        return record;
    }

    private static void rejectUnknownFields(final JsonNode node, final Schema schema, final String path)
            throws InvalidEventException {
        final Set<String> known = schema.getFields().stream().map(Schema.Field::name).collect(Collectors.toSet());
        for (final Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!known.contains(name)) {
                throw new InvalidEventException("unknown field \"" + (path.isEmpty() ? name : path + "." + name)
                        + "\" (" + schema.getName() + " has " + String.join(", ", orderedNames(schema)) + ")");
            }
        }
    }

    private static Object union(final JsonNode node, final Schema schema, final String path)
            throws InvalidEventException {
        if (node.isNull() && acceptsNull(schema)) {
            return null;
        }
        final List<Schema> branches = schema.getTypes().stream()
                .filter(branch -> branch.getType() != Schema.Type.NULL)
                .toList();
        InvalidEventException first = null;
        for (final Schema branch : branches) {
            try {
                return toAvro(node, branch, path);
            } catch (final InvalidEventException e) {
                first = first == null ? e : first;
            }
        }
        if (branches.size() == 1 && first != null) {
            throw first;
        }
        throw invalid(path, "does not match any of " + schema.getTypes());
    }

    private static List<Object> array(final JsonNode node, final Schema schema, final String path)
            throws InvalidEventException {
        if (!node.isArray()) {
            throw invalid(path, "must be an array");
        }
        final List<Object> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            items.add(toAvro(node.get(i), schema.getElementType(), path + "[" + i + "]"));
        }
        return items;
    }

    private static Map<String, Object> map(final JsonNode node, final Schema schema, final String path)
            throws InvalidEventException {
        if (!node.isObject()) {
            throw invalid(path, "must be an object");
        }
        final Map<String, Object> entries = new LinkedHashMap<>();
        for (final Map.Entry<String, JsonNode> entry : node.properties()) {
            entries.put(entry.getKey(), toAvro(entry.getValue(), schema.getValueType(),
                    path + "." + entry.getKey()));
        }
        return entries;
    }

    private static GenericData.EnumSymbol enumSymbol(final JsonNode node, final Schema schema, final String path)
            throws InvalidEventException {
        if (!node.isTextual() || !schema.hasEnumSymbol(node.textValue())) {
            throw invalid(path, "must be one of " + String.join(", ", schema.getEnumSymbols()));
        }
        return new GenericData.EnumSymbol(schema, node.textValue());
    }

    private static String text(final JsonNode node, final String path) throws InvalidEventException {
        if (!node.isTextual()) {
            throw invalid(path, "must be a string");
        }
        return node.textValue();
    }

    private static long timestamp(final JsonNode node, final String path) throws InvalidEventException {
        if (node.isTextual()) {
            try {
                return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(node.textValue(), Instant::from).toEpochMilli();
            } catch (final DateTimeParseException e) {
                throw invalid(path, "must be an ISO-8601 timestamp like 2026-11-22T10:00:00Z, or epoch millis");
            }
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        throw invalid(path, "must be an ISO-8601 timestamp like 2026-11-22T10:00:00Z, or epoch millis");
    }

    private static long wholeNumber(final JsonNode node, final String path) throws InvalidEventException {
        final Number number = number(node, path);
        if (!node.isIntegralNumber()) {
            throw invalid(path, "must be a whole number");
        }
        if (!node.canConvertToLong()) {
            throw invalid(path, "is too large");
        }
        return number.longValue();
    }

    private static int intValue(final JsonNode node, final String path) throws InvalidEventException {
        final long value = wholeNumber(node, path);
        if (!node.canConvertToInt()) {
            throw invalid(path, "must fit in 32 bits");
        }
        return (int) value;
    }

    private static Number number(final JsonNode node, final String path) throws InvalidEventException {
        if (!node.isNumber()) {
            throw invalid(path, "must be a number");
        }
        return node.numberValue();
    }

    private static boolean bool(final JsonNode node, final String path) throws InvalidEventException {
        if (!node.isBoolean()) {
            throw invalid(path, "must be true or false");
        }
        return node.booleanValue();
    }

    private static byte[] base64(final JsonNode node, final String path) throws InvalidEventException {
        try {
            return Base64.getDecoder().decode(text(node, path));
        } catch (final IllegalArgumentException e) {
            throw invalid(path, "must be base64");
        }
    }

    private static Object nullValue(final JsonNode node, final String path) throws InvalidEventException {
        if (!node.isNull()) {
            throw invalid(path, "must be null");
        }
        return null;
    }

    // Avro (generated classes or plain) to JSON.

    private static JsonNode toJson(final Object value, final Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        return switch (schema.getType()) {
            case RECORD -> recordJson((IndexedRecord) value, schema);
            case UNION -> toJson(value, branchOf(value, schema));
            case ARRAY -> arrayJson((Collection<?>) value, schema.getElementType());
            case MAP -> mapJson((Map<?, ?>) value, schema.getValueType());
            case ENUM, STRING -> NODES.textNode(value.toString());
            case LONG -> isTimestamp(schema) ? NODES.textNode(instant(value).toString())
                    : NODES.numberNode(((Number) value).longValue());
            case INT -> NODES.numberNode(((Number) value).intValue());
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case DOUBLE -> NODES.numberNode(((Number) value).doubleValue());
            case FLOAT -> NODES.numberNode(((Number) value).floatValue());
            case BYTES -> NODES.textNode(base64((ByteBuffer) value));
            case FIXED -> NODES.textNode(Base64.getEncoder().encodeToString(((GenericData.Fixed) value).bytes()));
            case NULL -> NODES.nullNode();
        };
    }

    private static ObjectNode recordJson(final IndexedRecord record, final Schema schema) {
        final ObjectNode object = NODES.objectNode();
        for (final Schema.Field field : schema.getFields()) {
            object.set(field.name(), toJson(record.get(field.pos()), field.schema()));
        }
        return object;
    }

    private static ArrayNode arrayJson(final Collection<?> items, final Schema itemSchema) {
        final ArrayNode array = NODES.arrayNode();
        items.forEach(item -> array.add(toJson(item, itemSchema)));
        return array;
    }

    private static ObjectNode mapJson(final Map<?, ?> entries, final Schema valueSchema) {
        final ObjectNode object = NODES.objectNode();
        entries.forEach((key, item) -> object.set(key.toString(), toJson(item, valueSchema)));
        return object;
    }

    /** The contract's unions are all "null or X"; anything richer is left to Avro to resolve. */
    private static Schema branchOf(final Object value, final Schema union) {
        final List<Schema> nonNull = union.getTypes().stream()
                .filter(branch -> branch.getType() != Schema.Type.NULL)
                .toList();
        if (nonNull.size() == 1) {
            return nonNull.get(0);
        }
        return union.getTypes().get(GenericData.get().resolveUnion(union, value));
    }

    private static Instant instant(final Object value) {
        return value instanceof Instant instant ? instant : Instant.ofEpochMilli(((Number) value).longValue());
    }

    private static String base64(final ByteBuffer buffer) {
        final ByteBuffer copy = buffer.duplicate();
        final byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    // Shared.

    private static boolean isTimestamp(final Schema schema) {
        return schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
    }

    private static boolean acceptsNull(final Schema schema) {
        return schema.getType() == Schema.Type.NULL || schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(branch -> branch.getType() == Schema.Type.NULL);
    }

    private static List<String> orderedNames(final Schema schema) {
        return schema.getFields().stream().map(Schema.Field::name).toList();
    }

    private static InvalidEventException invalid(final String path, final String rule) {
        return new InvalidEventException("field \"" + path + "\" " + rule);
    }
}
