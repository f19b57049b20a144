package io.stockline.app.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockline.app.config.ClientOverrides;
import io.stockline.app.config.ServiceConfig;
import io.stockline.ledger.AllocationPolicy;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.app.service.StocklineService;
import io.stockline.app.service.TopologyFactory;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderCancelled;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.api.Json;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.testkit.Await;
import io.stockline.testkit.Http;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's, driven by its own chromedriver: nothing is downloaded)
 * against a real ledger on a real broker. CI installs both; on a machine without them the test is skipped,
 * and with {@code CI} set it fails instead, so CI can never pass it by skipping.
 * Run with {@code -Dstockline.screenshot=FILE} to save the console under load as a PNG.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();
    /** A SKU that would run as script, break out of an attribute or a string, if the page ever treated it as markup. */
    private static final String HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">'\"ünï ☃";
    private static final String MUG = "MUG-BLUE";
    private static final String TEE = "TEE-FLASH";
    private static final String JUICE = "JUICE-1L";
    private static final Instant JUICE_EXPIRES = Instant.parse("2100-01-01T00:00:00Z");
    private static final String LAMP = "LAMP-DESK";
    private static final int ORDERS_PER_SECOND = 200;
    private static final int FOLLOW_UP_LAG = 40;

    @TempDir
    static Path dir;
    private EmbeddedKafkaBroker broker;
    private StocklineService ledger;
    private KafkaProducer<String, byte[]> producer;
    private WebDriver browser;
    private String url;

    @BeforeAll
    void start() {
        requireBrowser();
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        ledger = new StocklineService(new ServiceConfig(dir.resolve("data"), Optional.of(broker.bootstrapServers()), 0,
                new ClientOverrides(Map.of()), 2, ServiceConfig.BROKER_DEFAULT_REPLICATION, "127.0.0.1", 0,
                "127.0.0.1", "stockline-console", 0, Duration.ofHours(1), Duration.ofMinutes(5), Optional.empty())
                .withAllocation(new AllocationPolicy(List.of("default", "backroom"), false)),
                TopologyFactory.ledger());
        url = ledger.start().httpUrl();
        Await.until("the ledger ready", WITHIN,
                () -> Http.tryGet(url + "/ready").map(HttpResponse::statusCode).orElse(-1) == 200);
        producer = new KafkaProducer<>(broker.clientConfig().producer(), new StringSerializer(),
                (topic, bytes) -> bytes);
        adjust(MUG, 50);
        adjust(HOSTILE, 3);
        adjust(TEE, 40);
        Await.until("the SKUs stocked", WITHIN, () -> Http.get(url + "/stock/" + TEE).statusCode() == 200
                && Http.get(url + "/stock/" + MUG).statusCode() == 200
                && Http.get(url + "/lowest-stock?limit=1").body().contains("\"available\":3,"));
        browser = chromium();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (producer != null) {
            producer.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void thePageLoadsWithNoConsoleErrorAndShowsTheLevelsOfASku() {
        browser.get(url + "/");
        waitFor("the live feed", () -> text("feed").equals("LIVE"));
        waitFor("the charts drawn", () -> !browser.findElements(By.cssSelector("#chart-outcomes canvas")).isEmpty());
        search(MUG);

        waitFor("MUG-BLUE's levels", () -> field("sku-result", "available").equals("50"));
        assertEquals("50", field("sku-result", "onHand"));
        assertEquals("0", field("sku-result", "locked"));
        assertEquals("50 on hand, 50 available, 0 locked", field("sku-result", "at default"));
        assertEquals(List.of(), errors(), "errors in the browser's console");
    }

    @Test
    void aSkuKeptByBatchInTheBackroomShowsWhereItsUnitsAreAndAnOrderWhereItTookThem() {
        // Given juice of the product JUICE in two batches in the backroom, and an order of 4
        produce(EventTopic.STOCK_ADJUSTMENTS, JUICE, new StockAdjusted("juice-1", JUICE, 3L, "received", Instant.now(),
                null, "backroom", "B-1", JUICE_EXPIRES, null, "JUICE", Map.of("size", "1L")));
        produce(EventTopic.STOCK_ADJUSTMENTS, JUICE, new StockAdjusted("juice-2", JUICE, 5L, "received", Instant.now(),
                null, "backroom", "B-2", JUICE_EXPIRES.plusSeconds(86_400), null, null, null));
        producer.flush();
        order("juice-order", JUICE, 4);
        Await.until("the juice order decided", WITHIN,
                () -> Http.get(url + "/orders/juice-order").body().contains("RESERVED"));
        browser.get(url + "/");

        // When the SKU and the order are looked up
        search(JUICE);
        waitFor("the juice's levels", () -> field("sku-result", "locked").equals("4"));
        browser.findElement(By.id("order-input")).sendKeys("juice-order");
        browser.findElement(By.cssSelector("#order-form button")).click();
        waitFor("the juice order", () -> field("order-result", "status").equals("RESERVED"));

        // Then the SKU shows its product and the backroom's batches, first to expire first, and the order where its
        // units are locked
        assertEquals("JUICE (size 1L)", field("sku-result", "product"));
        assertEquals("8 on hand, 4 available, 4 locked; batch B-1, expires " + JUICE_EXPIRES
                + ": 3 on hand, 0 available, 3 locked; batch B-2, expires " + JUICE_EXPIRES.plusSeconds(86_400)
                + ": 5 on hand, 4 available, 1 locked", field("sku-result", "at backroom"));
        assertEquals("", field("sku-result", "at default"), "the juice is kept nowhere else");
        assertEquals("JUICE-1L × 3 @ backroom/B-1, JUICE-1L × 1 @ backroom/B-2", field("order-result", "locked"));
        assertEquals(List.of(), errors(), "errors in the browser's console");
    }

    @Test
    void aHostileSkuIsShownAsTextAndNeverRuns() {
        browser.get(url + "/");
        search(HOSTILE);

        waitFor("the hostile SKU's levels", () -> field("sku-result", "available").equals("3"));
        assertEquals(HOSTILE, field("sku-result", "sku"), "the SKU, character for character");
        waitFor("the hostile SKU among the lowest", () -> cells("lowest-table").contains(HOSTILE));
        assertEquals(true, ((JavascriptExecutor) browser).executeScript("return window.__pwned === undefined"),
                "nothing the SKU holds has run");
        assertTrue(browser.findElements(By.cssSelector("main script, main img")).isEmpty(),
                "no element was made from the SKU");
        assertEquals(List.of(), errors(), "errors in the browser's console");
    }

    @Test
    void theLiveFiguresMoveWhenOrdersFlow() throws IOException {
        browser.get(url + "/");
        waitFor("the live feed", () -> text("feed").equals("LIVE"));
        // Another test's orders may still be in the last seconds' rate: start from quiet.
        waitFor("nothing decided in the last seconds", () -> text("tile-decided").equals("0.0"));
        final AtomicBoolean flowing = new AtomicBoolean(true);
        final Thread shop = new Thread(() -> placeOrders(flowing), "shop");
        shop.start();
        try {
            produce(EventTopic.ORDERS, "bad-1", new OrderPlaced("bad-1-e", "bad-1",
                    List.of(new OrderLine(MUG, 0L, null, null)), Instant.now(), null, null));

            waitFor("orders decided per second above 0", () -> number("tile-decided") > 0);
            waitFor("the dead letter counted", () -> number("tile-dead") >= 1);
            waitFor("the dead letter listed", () -> cells("dead-letters-table").contains("INVALID_QUANTITY"));
            waitFor("a decision latency", () -> !text("tile-latency").equals("–"));
            assertTrue(cells("dead-letters-table").contains("c3 01"), "the original bytes as hex, marker first");
            assertTrue(cells("instances").contains("RUNNING"), "this instance listed as running");
            saveScreenshotIfAsked();
        } finally {
            flowing.set(false);
        }
        assertEquals(List.of(), errors(), "errors in the browser's console");
    }

    @Test
    void aStockAlertTheLedgerWroteIsListedAndCounted() {
        // Given the page open, and three lamps with a low-stock threshold of 2 (0 -> 3: back in stock)
        browser.get(url + "/");
        waitFor("the live feed", () -> text("feed").equals("LIVE"));
        produce(EventTopic.STOCK_ADJUSTMENTS, LAMP, new StockAdjusted("adj-" + LAMP, LAMP, 3L, "received",
                Instant.now(), 2L, null, null, null, null, null, null));
        producer.flush();
        Await.until("the lamps stocked", WITHIN, () -> Http.get(url + "/stock/" + LAMP).body()
                .contains("\"available\":3,"));

        // When one order takes a lamp (3 -> 2: low) and another the last two (2 -> 0: sold out)
        order("lamp-1", LAMP, 1);
        Await.until("the first lamp locked", WITHIN, () -> Http.get(url + "/stock/" + LAMP).body()
                .contains("\"available\":2,"));
        order("lamp-2", LAMP, 2);

        // Then the three alerts are listed, newest first, and counted by kind
        waitFor("the lamp's alerts listed", () -> rows("stock-alerts-table").stream()
                .filter(row -> row.get(1).equals(LAMP)).map(row -> row.subList(0, 4)).toList()
                .equals(List.of(List.of("SOLD_OUT", LAMP, "0", "2"), List.of("LOW_STOCK", LAMP, "2", "2"),
                        List.of("BACK_IN_STOCK", LAMP, "3", "2"))));
        waitFor("the alerts counted", () -> number("tile-alerts") >= 3);
        assertTrue(cells("stock-alert-kinds").contains("SOLD_OUT"), "alerts by kind");
        assertTrue(cells("stock-alert-kinds").contains("LOW_STOCK"), "alerts by kind");
        assertTrue(cells("stock-alert-kinds").contains("BACK_IN_STOCK"), "alerts by kind");
        assertEquals(List.of(), errors(), "errors in the browser's console");
    }

    /**
     * A shop at about {@link #ORDERS_PER_SECOND} orders a second: every other order is for the mug, restocked
     * now and then, paid or (one in five) cancelled a little later; the others race for a few tees and are
     * soon rejected. So every series of the page has something to show, and the dead letters stay few.
     */
    private void placeOrders(final AtomicBoolean flowing) {
        final long pause = Duration.ofSeconds(1).toNanos() / ORDERS_PER_SECOND;
        for (int i = 0; flowing.get(); i++) {
            final String orderId = "order-" + i;
            final boolean mug = i % 2 == 0;
            produce(EventTopic.ORDERS, orderId, new OrderPlaced(orderId + "-e", orderId,
                    List.of(new OrderLine(mug ? MUG : TEE, 1L, null, null)), Instant.now(), null, null));
            if (mug && i >= FOLLOW_UP_LAG) {
                followUp(i - FOLLOW_UP_LAG);
            }
            if (i % 100 == 0) {
                produce(EventTopic.STOCK_ADJUSTMENTS, MUG, new StockAdjusted("restock-" + i, MUG, 60L, "restock",
                        Instant.now(), null, null, null, null, null, null, null));
            }
            // Pacing a load generator, not waiting for a result.
            LockSupport.parkNanos(pause);
        }
        producer.flush();
    }

    private void followUp(final int order) {
        final String orderId = "order-" + order;
        if (order % 10 == 0) {
            produce(EventTopic.CANCELLATIONS, orderId, new OrderCancelled(orderId + "-c", orderId, "changed their mind",
                    Instant.now(), null));
        } else {
            produce(EventTopic.PAYMENTS, orderId, new PaymentEvent(orderId + "-p", orderId, PaymentOutcome.CAPTURED,
                    Instant.now(), null, true));
        }
    }

    private void saveScreenshotIfAsked() throws IOException {
        final String target = System.getProperty("stockline.screenshot");
        if (target == null) {
            return;
        }
        waitFor("half a minute of decisions on screen", () -> Http.get(url + "/console/figures").body()
                .contains("\"CONFIRMED\"") && secondsWithDecisions() >= 30);
        final File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of(target), StandardCopyOption.REPLACE_EXISTING);
    }

    private int secondsWithDecisions() {
        final JsonNode rejected;
        try {
            rejected = Json.MAPPER.readTree(Http.get(url + "/console/figures").body())
                    .path("window").path("outcomes").path("REJECTED");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        int seconds = 0;
        for (final JsonNode count : rejected) {
            seconds += count.asLong() > 0 ? 1 : 0;
        }
        return seconds;
    }

    private void search(final String sku) {
        final WebElement input = browser.findElement(By.id("sku-input"));
        input.clear();
        input.sendKeys(sku);
        browser.findElement(By.cssSelector("#sku-form button")).click();
    }

    private String text(final String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private double number(final String id) {
        try {
            return Double.parseDouble(text(id).replace(",", ""));
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    /** Each row of a table's body as the text of its cells; empty while the page is redrawing it. */
    private List<List<String>> rows(final String table) {
        try {
            return browser.findElement(By.id(table)).findElements(By.cssSelector("tbody tr")).stream()
                    .map(row -> row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
                    .filter(cells -> cells.size() >= 4).toList();
        } catch (final StaleElementReferenceException e) {
            return List.of();
        }
    }

    private String field(final String container, final String name) {
        final List<WebElement> found = browser.findElements(By.cssSelector("#" + container + " [data-field='" + name + "']"));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private String cells(final String table) {
        return browser.findElement(By.id(table)).findElement(By.tagName("tbody")).getText();
    }

    private void waitFor(final String what, final java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, WITHIN).withMessage(what).until(driver -> condition.getAsBoolean());
    }

    /** What the page logged at SEVERE (script errors, failed loads, policy violations). */
    private List<String> errors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    private void order(final String orderId, final String sku, final long quantity) {
        produce(EventTopic.ORDERS, orderId, new OrderPlaced(orderId + "-e", orderId,
                List.of(new OrderLine(sku, quantity, null, null)), Instant.now(), null, null));
        producer.flush();
    }

    private void adjust(final String sku, final long units) {
        produce(EventTopic.STOCK_ADJUSTMENTS, sku, new StockAdjusted("adj-" + sku, sku, units, "received",
                Instant.now(), null, null, null, null, null, null, null));
        producer.flush();
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> void produce(final EventTopic topic, final String key, final T event) {
        final byte[] value = SERDES.serde((Class<T>) event.getClass()).serializer().serialize(topic.topicName(), event);
        producer.send(new ProducerRecord<>(topic.topicName(), key, value));
    }

    private static WebDriver chromium() {
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1800");
        final LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void requireBrowser() {
        final boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && System.getenv("CI") != null) {
            throw new IllegalStateException("CI must install Debian's chromium and chromium-driver (see .ci/run)");
        }
        Assumptions.assumeTrue(present, "no " + CHROMIUM + " and " + CHROMEDRIVER
                + ": apt-get install chromium chromium-driver to run the console's browser test");
    }
}
