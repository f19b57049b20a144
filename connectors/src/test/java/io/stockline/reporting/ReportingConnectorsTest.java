package io.stockline.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.schemas.EventTopic;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connector files: one per table, each consistent with the contract topic and the rows it sinks. */
class ReportingConnectorsTest {

    private static final String JDBC_SINK = "io.debezium.connector.jdbc.JdbcSinkConnector";
    private static final String STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";

    private final List<ConnectorDefinition> templates = ReportingConnectors.templates();

    @Test
    void eachTableHasOneConnectorUpsertingIntoItFromTheContractTopicItIsDerivedFrom() {
        assertEquals(List.of(EventTopic.STOCK_MOVEMENTS.topicName(), EventTopic.STOCK_MOVEMENTS.topicName(),
                EventTopic.STOCK_MOVEMENTS.topicName(), EventTopic.ORDER_OUTCOMES.topicName()), templates.stream().map(ConnectorDefinition::topic).toList());
        assertEquals(List.of(EventTopic.STOCK_MOVEMENTS.topicName(), EventTopic.ORDER_OUTCOMES.topicName()),
                ReportingConnectors.topics());
        assertEquals(List.of(Tables.STOCK_LEVELS, Tables.STOCK_MOVEMENTS, Tables.STOCK_PLACES, Tables.ORDER_STATUS),
                templates.stream().map(ConnectorDefinition::table).toList());
        for (final ConnectorDefinition connector : templates) {
            final Map<String, String> config = connector.config();
            assertEquals(connector.name(), config.get("name"));
            assertEquals(JDBC_SINK, config.get("connector.class"), connector.name());
            assertEquals("upsert", config.get("insert.mode"), connector.name());
            assertEquals("basic", config.get("schema.evolution"), "the sink creates the table: " + connector.name());
            assertEquals("false", config.get("delete.enabled"), connector.name());
        }
    }

    @Test
    void connectorsReadPlainKeysAndTheirTablesViewOfTheContractWhateverTheWorkersDefaults() {
        for (final ConnectorDefinition connector : templates) {
            final Map<String, String> config = connector.config();
            assertEquals(STRING_CONVERTER, config.get("key.converter"), connector.name());
            assertEquals(LedgerRowConverter.class.getName(), config.get("value.converter"), connector.name());
            assertEquals(connector.table(), config.get("value.converter." + LedgerRowConverter.VIEW_CONFIG),
                    connector.name());
        }
    }

    @Test
    void primaryKeysAreTheSkuTheMovementIdThePlaceAndTheOrderIdOfTheRow() {
        assertKey(templates.get(0), ReportingRows.StockLevels.VALUE, ReportingRows.StockLevels.SKU);
        assertKey(templates.get(1), ReportingRows.StockMovements.VALUE, ReportingRows.StockMovements.MOVEMENT_ID);
        assertKey(templates.get(2), ReportingRows.StockPlaces.VALUE, ReportingRows.StockPlaces.SKU,
                ReportingRows.StockPlaces.LOCATION, ReportingRows.StockPlaces.BATCH);
        assertKey(templates.get(3), ReportingRows.OrderStatus.VALUE, ReportingRows.OrderStatus.ORDER_ID);
    }

    @Test
    void connectionSettingsArePlaceholdersFilledFromTheDatabaseButThePasswordStaysInItsFile(
            @TempDir final Path dir) throws IOException {
        final ConnectorDefinition template = templates.get(0);
        assertEquals(ReportingConnectors.JDBC_URL, template.config().get("connection.url"));
        assertEquals(ReportingConnectors.DB_USER, template.config().get("connection.username"));
        assertEquals(ReportingConnectors.DB_PASSWORD, template.config().get("connection.password"));
        final SinkDatabase database = new SinkDatabase("jdbc:mariadb://db:3306/reporting", "reporter", "s3cr=t:!");
        final Path secrets = dir.resolve("secrets.properties");

        final List<ConnectorDefinition> filled = ReportingConnectors.forDatabase(database, secrets);
        ReportingConnectors.writeSecrets(database, secrets);

        for (final ConnectorDefinition connector : filled) {
            assertEquals("jdbc:mariadb://db:3306/reporting?nullDatabaseMeansCurrent=true",
                    connector.config().get("connection.url"));
            assertEquals("reporter", connector.config().get("connection.username"));
            assertEquals("${file:" + secrets.toAbsolutePath() + ":password}",
                    connector.config().get("connection.password"));
            assertFalse(connector.config().values().stream().anyMatch(v -> v.contains("s3cr")), connector.name());
        }
        final Properties written = new Properties();
        try (Reader reader = Files.newBufferedReader(secrets)) {
            written.load(reader);
        }
        assertEquals("s3cr=t:!", written.getProperty("password"));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(secrets));
    }

    private static void assertKey(final ConnectorDefinition connector, final Schema schema, final String... fields) {
        assertEquals("record_value", connector.config().get("primary.key.mode"), connector.name());
        assertEquals(String.join(",", fields), connector.config().get("primary.key.fields"), connector.name());
        for (final String field : fields) {
            assertNotNull(schema.field(field), field + " is a field of the record the key is taken from");
            assertTrue(!schema.field(field).schema().isOptional(), field + " is never null");
        }
    }
}
