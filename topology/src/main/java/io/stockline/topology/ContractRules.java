package io.stockline.topology;

import io.stockline.ledger.AllocationPolicy;
import io.stockline.ledger.Line;
import io.stockline.ledger.OrderCommand;
import io.stockline.ledger.OrderCommand.PaymentResult;
import io.stockline.ledger.Origin;
import io.stockline.ledger.Place;
import io.stockline.ledger.Product;
import io.stockline.ledger.StockCommand;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.OrderCancelled;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.OrderShipped;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.StockAdjusted;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The contract's rules for input events that decode: what makes one acceptable, and the ledger command
 * it becomes. A broken event is refused with a precise code; it never reaches the ledger's state.
 */
public final class ContractRules {

    public static final int MAX_ID_LENGTH = 256;
    public static final int MAX_LINES = 100;
    public static final long MAX_LINE_QUANTITY = 1_000_000_000L;
    public static final long MAX_ADJUSTMENT = 1_000_000_000_000L;
    public static final int MAX_ATTRIBUTES = 50;

    private ContractRules() {
    }

    /** The verdict on one input event. */
    public sealed interface Admission<C> {
        record Accepted<C>(String key, C command) implements Admission<C> {
        }

        record Refused<C>(DeadLetterCode code, String message) implements Admission<C> {
        }
    }

    /** Checks one decoded event of type {@code E} and turns it into a ledger command {@code C}. */
    @FunctionalInterface
    public interface Rule<E, C> {
        Admission<C> admit(String key, E event, Origin origin);
    }

    public static Admission<OrderCommand> order(final String key, final OrderPlaced order, final Origin origin) {
        return order(key, order, origin, AllocationPolicy.DEFAULT);
    }

    /**
     * An order; a line may pin a location the ledger knows ({@code policy}), one location per SKU, and names no
     * batch (the ledger picks batches).
     */
    public static Admission<OrderCommand> order(final String key, final OrderPlaced order, final Origin origin,
                                                final AllocationPolicy policy) {
        final String idProblem = firstIdProblem("eventId", order.getEventId(), "orderId", order.getOrderId());
        if (idProblem != null) {
            return refused(DeadLetterCode.INVALID_ID, idProblem);
        }
        if (order.getLines().isEmpty() || order.getLines().size() > MAX_LINES) {
            return refused(DeadLetterCode.INVALID_LINES, "an order has 1 to " + MAX_LINES + " lines, this one has "
                    + order.getLines().size());
        }
        final Admission<OrderCommand> badLine = firstBadLine(order.getLines());
        if (badLine != null) {
            return badLine;
        }
        final Admission<OrderCommand> badPin = firstBadPin(order.getLines(), policy);
        if (badPin != null) {
            return badPin;
        }
        return keyed(key, order.getOrderId(), "orderId", new OrderCommand.PlaceOrder(order.getEventId(),
                order.getOrderId(), lines(order.getLines()), order.getPlacedAt().toEpochMilli(), order.getHoldMillis(),
                origin));
    }

    /** A payment; only a refund may name lines (the units returned) and say whether they go back on sale. */
    public static Admission<OrderCommand> payment(final String key, final PaymentEvent payment,
                                                  final Origin origin) {
        final String idProblem = firstIdProblem("paymentId", payment.getPaymentId(), "orderId", payment.getOrderId());
        if (idProblem != null) {
            return refused(DeadLetterCode.INVALID_ID, idProblem);
        }
        final PaymentResult result = PaymentResult.valueOf(payment.getOutcome().name());
        if (payment.getLines() != null && result != PaymentResult.REFUNDED) {
            return refused(DeadLetterCode.INVALID_LINES, "only a REFUNDED payment names lines (the units returned); a "
                    + result + " payment is for the whole order, so its lines must be null");
        }
        final Admission<OrderCommand> badLines = badPartLines("a refund", payment.getLines());
        if (badLines != null) {
            return badLines;
        }
        return keyed(key, payment.getOrderId(), "orderId", new OrderCommand.ApplyPayment(payment.getPaymentId(),
                payment.getOrderId(), result, payment.getAt().toEpochMilli(), origin, summedOrNull(payment.getLines()),
                payment.getRestock()));
    }

    /** A cancellation, of the lines it names or, when it names none, of the whole order. */
    public static Admission<OrderCommand> cancellation(final String key, final OrderCancelled cancel,
                                                       final Origin origin) {
        final String idProblem = firstIdProblem("cancelId", cancel.getCancelId(), "orderId", cancel.getOrderId());
        if (idProblem != null) {
            return refused(DeadLetterCode.INVALID_ID, idProblem);
        }
        final Admission<OrderCommand> badLines = badPartLines("a cancellation", cancel.getLines());
        if (badLines != null) {
            return badLines;
        }
        return keyed(key, cancel.getOrderId(), "orderId", new OrderCommand.CancelOrder(cancel.getCancelId(),
                cancel.getOrderId(), cancel.getReason(), cancel.getAt().toEpochMilli(), origin,
                summedOrNull(cancel.getLines())));
    }

    /** A shipment, of the lines it names or, when it names none, of everything the order still has to ship. */
    public static Admission<OrderCommand> shipment(final String key, final OrderShipped shipment,
                                                   final Origin origin) {
        final String idProblem = firstIdProblem("shipmentId", shipment.getShipmentId(),
                "orderId", shipment.getOrderId());
        if (idProblem != null) {
            return refused(DeadLetterCode.INVALID_ID, idProblem);
        }
        final Admission<OrderCommand> badLines = badPartLines("a shipment", shipment.getLines());
        if (badLines != null) {
            return badLines;
        }
        return keyed(key, shipment.getOrderId(), "orderId", new OrderCommand.ShipOrder(shipment.getShipmentId(),
                shipment.getOrderId(), summedOrNull(shipment.getLines()), shipment.getAt().toEpochMilli(), origin));
    }

    public static Admission<StockCommand> adjustment(final String key, final StockAdjusted adjustment,
                                                     final Origin origin) {
        return adjustment(key, adjustment, origin, AllocationPolicy.DEFAULT);
    }

    /**
     * An adjustment at a place (a location the ledger knows, and a batch), or a transfer of units between two known
     * locations; either may say which product the SKU belongs to.
     */
    public static Admission<StockCommand> adjustment(final String key, final StockAdjusted adjustment,
                                                     final Origin origin, final AllocationPolicy policy) {
        final String idProblem = firstIdProblem("adjustmentId", adjustment.getAdjustmentId(),
                "sku", adjustment.getSku());
        if (idProblem != null) {
            return refused(DeadLetterCode.INVALID_ID, idProblem);
        }
        if (adjustment.getDelta() > MAX_ADJUSTMENT || adjustment.getDelta() < -MAX_ADJUSTMENT) {
            return refused(DeadLetterCode.INVALID_QUANTITY, "an adjustment's delta is at most " + MAX_ADJUSTMENT
                    + " either way, got " + adjustment.getDelta());
        }
        final Long threshold = adjustment.getLowStockThreshold();
        if (threshold != null && (threshold < 0 || threshold > MAX_ADJUSTMENT)) {
            return refused(DeadLetterCode.INVALID_QUANTITY, "a low-stock threshold is 0 to " + MAX_ADJUSTMENT
                    + ", got " + threshold);
        }
        final Admission<StockCommand> badPlace = badPlace(adjustment, policy);
        if (badPlace != null) {
            return badPlace;
        }
        final Admission<StockCommand> badProduct = badProduct(adjustment);
        if (badProduct != null) {
            return badProduct;
        }
        final String location = adjustment.getLocation() == null ? Place.DEFAULT_LOCATION : adjustment.getLocation();
        final Place place = new Place(location, adjustment.getBatch(),
                adjustment.getBatchExpiresAt() == null ? null : adjustment.getBatchExpiresAt().toEpochMilli());
        final Product product = adjustment.getProductId() == null ? null
                : new Product(adjustment.getProductId(), adjustment.getAttributes());
        return keyed(key, adjustment.getSku(), "sku", new StockCommand.Adjust(adjustment.getAdjustmentId(),
                adjustment.getSku(), adjustment.getDelta(), adjustment.getReason(),
                adjustment.getAt().toEpochMilli(), origin, threshold, place, adjustment.getToLocation(), product));
    }

    /** The refusal of an adjustment's location, batch or transfer, or null when they are fine. */
    private static Admission<StockCommand> badPlace(final StockAdjusted adjustment, final AllocationPolicy policy) {
        final String location = adjustment.getLocation() == null ? Place.DEFAULT_LOCATION : adjustment.getLocation();
        final String problem = firstProblem(idProblemOrNull("location", adjustment.getLocation()),
                idProblemOrNull("batch", adjustment.getBatch()), idProblemOrNull("toLocation",
                        adjustment.getToLocation()));
        if (problem != null) {
            return refused(DeadLetterCode.INVALID_ID, problem);
        }
        if (adjustment.getBatchExpiresAt() != null && adjustment.getBatch() == null) {
            return refused(DeadLetterCode.INVALID_ID, "batch is missing: batchExpiresAt is the expiry of a batch");
        }
        for (final String named : new String[] {location, adjustment.getToLocation()}) {
            if (named != null && !policy.knows(named)) {
                return refused(DeadLetterCode.UNKNOWN_LOCATION, unknownLocation(named, policy));
            }
        }
        if (adjustment.getToLocation() != null && (adjustment.getDelta() <= 0
                || adjustment.getToLocation().equals(location))) {
            return refused(DeadLetterCode.INVALID_TRANSFER, "a transfer moves 1 or more units (delta) between two "
                    + "locations; this one moves " + adjustment.getDelta() + " from " + location + " to "
                    + adjustment.getToLocation());
        }
        return null;
    }

    private static Admission<StockCommand> badProduct(final StockAdjusted adjustment) {
        final Map<String, String> attributes = adjustment.getAttributes();
        if (attributes != null && adjustment.getProductId() == null) {
            return refused(DeadLetterCode.INVALID_ID, "productId is missing: attributes describe a product's variant");
        }
        final String problem = idProblemOrNull("productId", adjustment.getProductId());
        if (problem != null) {
            return refused(DeadLetterCode.INVALID_ID, problem);
        }
        if (attributes == null) {
            return null;
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            return refused(DeadLetterCode.INVALID_ID, "a SKU has at most " + MAX_ATTRIBUTES + " attributes, got "
                    + attributes.size());
        }
        for (final Map.Entry<String, String> attribute : attributes.entrySet()) {
            final String attributeProblem = firstProblem(idProblem("attribute name", attribute.getKey()),
                    idProblem("attribute " + abbreviate(attribute.getKey()), attribute.getValue()));
            if (attributeProblem != null) {
                return refused(DeadLetterCode.INVALID_ID, attributeProblem);
            }
        }
        return null;
    }

    /**
     * The refusal of an order's first line that pins a location the ledger does not know, names a batch, or pins a
     * SKU that another line pins elsewhere (or leaves to the ledger); null when all are fine.
     */
    private static Admission<OrderCommand> firstBadPin(final List<OrderLine> lines, final AllocationPolicy policy) {
        if (pinsNothing(lines)) {
            return null; // the common order: nothing pinned, nothing to remember per SKU
        }
        final Map<String, String> pinBySku = new HashMap<>();
        for (final OrderLine line : lines) {
            if (line.getBatch() != null) {
                return refused(DeadLetterCode.INVALID_LINES, "an order's line names no batch (the ledger takes the "
                        + "first to expire), got batch " + abbreviate(line.getBatch()) + " for sku " + line.getSku());
            }
            final String location = line.getLocation();
            if (location != null) {
                final String problem = idProblem("location", location);
                if (problem != null) {
                    return refused(DeadLetterCode.INVALID_ID, problem);
                }
                if (!policy.knows(location)) {
                    return refused(DeadLetterCode.UNKNOWN_LOCATION, unknownLocation(location, policy));
                }
            }
            if (pinBySku.containsKey(line.getSku()) && !Objects.equals(pinBySku.get(line.getSku()), location)) {
                return refused(DeadLetterCode.INVALID_LINES, "sku " + line.getSku() + " is in two lines with "
                        + "different locations (" + pinBySku.get(line.getSku()) + ", " + location + ")");
            }
            pinBySku.put(line.getSku(), location);
        }
        return null;
    }

    private static boolean pinsNothing(final List<OrderLine> lines) {
        for (final OrderLine line : lines) {
            if (line.getLocation() != null || line.getBatch() != null) {
                return false;
            }
        }
        return true;
    }

    private static String unknownLocation(final String location, final AllocationPolicy policy) {
        return "location '" + abbreviate(location) + "' is not one the ledger knows (--locations "
                + String.join(",", policy.locations()) + ")";
    }

    /**
     * The refusal of the lines an event about part of an order names, or null when they are fine: null (the whole
     * order), or 1 to {@value #MAX_LINES} lines as an order's. An empty list is refused rather than read as "all":
     * a producer that meant the whole order says so with null.
     */
    private static Admission<OrderCommand> badPartLines(final String event, final List<OrderLine> lines) {
        if (lines == null) {
            return null;
        }
        if (lines.isEmpty() || lines.size() > MAX_LINES) {
            return refused(DeadLetterCode.INVALID_LINES, event + " names 1 to " + MAX_LINES
                    + " lines, or null for the whole order; this one has " + lines.size());
        }
        for (final OrderLine line : lines) {
            if (line.getLocation() != null || line.getBatch() != null) {
                return refused(DeadLetterCode.INVALID_LINES, event + "'s lines name no location or batch (the ledger "
                        + "knows where the order's units are), got them for sku " + line.getSku());
            }
        }
        return firstBadLine(lines);
    }

    /** The refusal of the first line with an unusable SKU or quantity, or null when every line is fine. */
    private static Admission<OrderCommand> firstBadLine(final List<OrderLine> lines) {
        for (final OrderLine line : lines) {
            final String skuProblem = idProblem("sku", line.getSku());
            if (skuProblem != null) {
                return refused(DeadLetterCode.INVALID_ID, skuProblem);
            }
            if (line.getQuantity() <= 0 || line.getQuantity() > MAX_LINE_QUANTITY) {
                return refused(DeadLetterCode.INVALID_QUANTITY, "quantity of sku " + line.getSku() + " must be 1 to "
                        + MAX_LINE_QUANTITY + ", got " + line.getQuantity());
            }
        }
        return null;
    }

    private static List<Line> lines(final List<OrderLine> lines) {
        final List<Line> converted = new ArrayList<>(lines.size());
        for (final OrderLine line : lines) {
            converted.add(new Line(line.getSku(), line.getQuantity(), line.getLocation(), null));
        }
        return Collections.unmodifiableList(converted);
    }

    /** Lines of one SKU summed, as the ledger sums an order's when it is placed; null stays null (everything). */
    private static List<Line> summedOrNull(final List<OrderLine> lines) {
        return lines == null ? null : Line.summed(lines(lines));
    }

    /** Why this id is unusable, or null: ids are 1 to 256 printable characters, not all blank. */
    public static String idProblem(final String field, final String value) {
        if (value.isBlank()) {
            return field + " is blank";
        }
        if (value.length() > MAX_ID_LENGTH) {
            return field + " is " + value.length() + " characters long, at most " + MAX_ID_LENGTH + " are allowed";
        }
        if (hasControlCharacter(value)) {
            return field + " contains a control character";
        }
        return null;
    }

    /** Checked for every id of every event: a plain loop over the chars, no stream pipeline. */
    private static boolean hasControlCharacter(final String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String idProblemOrNull(final String field, final String value) {
        return value == null ? null : idProblem(field, value);
    }

    private static String firstProblem(final String... problems) {
        for (final String problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String firstIdProblem(final String field1, final String value1,
                                         final String field2, final String value2) {
        final String first = idProblem(field1, value1);
        return first != null ? first : idProblem(field2, value2);
    }

    private static <C> Admission<C> keyed(final String key, final String expected, final String field,
                                          final C command) {
        if (!expected.equals(key)) {
            return refused(DeadLetterCode.KEY_MISMATCH, "the record key must equal its " + field + " '"
                    + abbreviate(expected) + "', got '" + abbreviate(key) + "'");
        }
        return new Admission.Accepted<>(expected, command);
    }

    private static <C> Admission<C> refused(final DeadLetterCode code, final String message) {
        return new Admission.Refused<>(code, message);
    }

    static String abbreviate(final String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
