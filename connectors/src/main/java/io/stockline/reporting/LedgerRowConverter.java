package io.stockline.reporting;

import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.serde.EventDecodeException;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * A Kafka Connect value converter for the reporting sinks: reads a contract record (single-object Avro,
 * through the schemas module's serde) and gives the sink the row of the table its {@value #VIEW_CONFIG}
 * setting names ({@link ReportingRows}). Values only: keys are plain strings ({@code StringConverter}) and
 * the sinks take their primary key from the row.
 *
 * <p>A record it cannot read fails the task with a {@link DataException} naming the topic, the view and
 * why, so a wrong record never becomes a wrong row; Connect's {@code errors.tolerance} decides whether the
 * task stops (the default) or skips it.
 */
public final class LedgerRowConverter implements Converter {

    /**
     * Which table's rows to make: {@code stock_movements}, {@code stock_levels}, {@code stock_places} or
     * {@code order_status}.
     */
    public static final String VIEW_CONFIG = "view";

    /** The tables, each with the contract record it is made from. */
    public enum View {
        /** One row per movement, from {@code stock-movements}. */
        STOCK_MOVEMENTS(StockMovement.class, ReportingRows::movement),
        /** A SKU's levels after each of its movements, from {@code stock-movements}: the last one wins. */
        STOCK_LEVELS(StockMovement.class, ReportingRows::level),
        /**
         * A place's levels after each movement at it, from {@code stock-movements}: the last one wins. A movement
         * at no place (a threshold changed alone) gives no row: a tombstone, which the sink skips.
         */
        STOCK_PLACES(StockMovement.class, ReportingRows::place),
        /** An order's status after each of its outcomes, from {@code order-outcomes}: the last one wins. */
        ORDER_STATUS(OrderOutcome.class, ReportingRows::orderStatus);

        private final Class<? extends SpecificRecord> record;
        private final Function<SpecificRecord, Struct> row;

        @SuppressWarnings("unchecked")
        <R extends SpecificRecord> View(final Class<R> record, final Function<R, Struct> row) {
            this.record = record;
            this.row = (Function<SpecificRecord, Struct>) row;
        }

        /** As the setting spells it: the table's name. */
        public String configValue() {
            return name().toLowerCase(Locale.ROOT);
        }

        static View of(final Object value) {
            return Arrays.stream(values()).filter(v -> v.configValue().equals(value)).findFirst()
                    .orElseThrow(() -> new ConfigException(VIEW_CONFIG, value, "expected one of "
                            + Arrays.stream(values()).map(View::configValue).toList()));
        }
    }

    private static final ConfigDef CONFIG = new ConfigDef().define(VIEW_CONFIG, ConfigDef.Type.STRING,
            ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
            "The reporting table whose rows to make: stock_movements, stock_levels, stock_places or order_status.");

    private View view;
    private Deserializer<? extends SpecificRecord> deserializer;

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        if (isKey) {
            throw new ConfigException(getClass().getName() + " converts values only; keys are plain strings "
                    + "(org.apache.kafka.connect.storage.StringConverter)");
        }
        view = View.of(CONFIG.parse(configs).get(VIEW_CONFIG));
        deserializer = new SingleObjectSerdeFactory().serde(view.record).deserializer();
    }

    @Override
    public SchemaAndValue toConnectData(final String topic, final byte[] value) {
        if (value == null) {
            throw new DataException("a record on " + topic + " has no value: the " + view.configValue()
                    + " table takes no deletes");
        }
        final SpecificRecord record;
        try {
            record = deserializer.deserialize(topic, value);
        } catch (final EventDecodeException e) {
            throw new DataException("cannot make a " + view.configValue() + " row of a record on " + topic
                    + ": it is not a " + view.record.getSimpleName() + " (" + e.failure() + ": " + e.getMessage()
                    + ")", e);
        } catch (final RuntimeException e) {
            throw new DataException("cannot make a " + view.configValue() + " row of a record on " + topic
                    + ": " + e.getMessage(), e);
        }
        final Struct row = view.row.apply(record);
        return row == null ? SchemaAndValue.NULL : new SchemaAndValue(row.schema(), row);
    }

    @Override
    public byte[] fromConnectData(final String topic, final Schema schema, final Object value) {
        throw new DataException(getClass().getName() + " is for sinks only: it reads the ledger's records, it "
                + "does not write them");
    }
}
