package io.stockline.topology.serde;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockline.ledger.Order;
import io.stockline.ledger.OrderCommand;
import io.stockline.ledger.StockCommand;
import io.stockline.ledger.StockLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * JSON for the ledger's own records (commands between its two sides, and its state). Only Stockline
 * writes and reads these, so they follow the domain records; unknown fields are ignored, which lets a
 * newer version add fields without breaking an older one still running during a rolling upgrade.
 */
public final class JsonSerde {

    private static final ObjectMapper MAPPER = mapper();

    private JsonSerde() {
    }

    public static <T> Serde<T> of(final Class<T> type) {
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : write(value),
                (topic, bytes) -> bytes == null ? null : read(bytes, type));
    }

    private static byte[] write(final Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(final byte[] bytes, final Class<T> type) {
        try {
            final JsonNode tree = MAPPER.readTree(bytes);
            if (type == Order.class && tree instanceof ObjectNode order && !order.has("sold")) {
                order.putObject("sold");
            }
            if (tree instanceof ObjectNode object) {
                emptyPlacesWhenWrittenBeforePlaces(object, type);
            }
            restockRefundsWrittenBeforeRestock(tree);
            return MAPPER.treeToValue(tree, type);
        } catch (final IOException e) {
            throw new SerializationException("cannot read " + type.getSimpleName() + " from the ledger's own topic", e);
        }
    }

    /**
     * JSON written before locations and batches has no places, which the records take as empty, never null: every unit
     * it speaks of is at the default place.
     */
    private static void emptyPlacesWhenWrittenBeforePlaces(final ObjectNode node, final Class<?> type) {
        if (type == Order.class && !node.has("places")) {
            node.putObject("places");
        } else if (type == StockLevel.class && !node.has("places")) {
            node.putArray("places");
        }
        final String field = switch (node.path("type").asText()) {
            case "Commit", "Release", "Refund", "Ship" -> "from";
            case "LineResult" -> "allocations";
            default -> null;
        };
        if (field != null && !node.has(field)) {
            node.putArray(field);
        }
    }

    /**
     * JSON written before per-line returns has no restock, which would read as false: a refund then put everything
     * back on sale. Such payments travel alone or held in an order.
     */
    private static void restockRefundsWrittenBeforeRestock(final JsonNode node) {
        if (node instanceof ObjectNode object && "ApplyPayment".equals(object.path("type").asText())
                && !object.has("restock")) {
            object.put("restock", true);
        }
        node.forEach(JsonSerde::restockRefundsWrittenBeforeRestock);
    }

    /** The sealed command hierarchies travel with a type name, never a class name. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    private interface Polymorphic {
    }

    private static ObjectMapper mapper() {
        final ObjectMapper mapper = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.addMixIn(OrderCommand.class, Polymorphic.class);
        mapper.addMixIn(OrderCommand.HeldEvent.class, Polymorphic.class);
        mapper.addMixIn(StockCommand.class, Polymorphic.class);
        for (final Class<?> type : OrderCommand.class.getPermittedSubclasses()) {
            mapper.registerSubtypes(new NamedType(type, type.getSimpleName()));
        }
        for (final Class<?> type : StockCommand.class.getPermittedSubclasses()) {
            mapper.registerSubtypes(new NamedType(type, type.getSimpleName()));
        }
        return mapper;
    }
}
