package io.stockline.topology.serde;

import io.stockline.ledger.Allocation;
import io.stockline.ledger.Line;
import io.stockline.ledger.Order;
import io.stockline.ledger.OrderCommand;
import io.stockline.ledger.OrderCommand.ApplyPayment;
import io.stockline.ledger.OrderCommand.CancelOrder;
import io.stockline.ledger.OrderCommand.HeldEvent;
import io.stockline.ledger.OrderCommand.LineResult;
import io.stockline.ledger.OrderCommand.PaymentResult;
import io.stockline.ledger.OrderCommand.PlaceOrder;
import io.stockline.ledger.OrderCommand.ShipOrder;
import io.stockline.ledger.OrderStatus;
import io.stockline.ledger.Origin;
import io.stockline.ledger.Place;
import io.stockline.ledger.PlaceLevel;
import io.stockline.ledger.Product;
import io.stockline.ledger.ReleaseCause;
import io.stockline.ledger.StockCommand;
import io.stockline.ledger.StockLevel;
import io.stockline.topology.serde.avro.AdjustRecord;
import io.stockline.topology.serde.avro.AllocationRecord;
import io.stockline.topology.serde.avro.ApplyPaymentRecord;
import io.stockline.topology.serde.avro.CancelOrderRecord;
import io.stockline.topology.serde.avro.HeldEventRecord;
import io.stockline.topology.serde.avro.HeldRecord;
import io.stockline.topology.serde.avro.LineRecord;
import io.stockline.topology.serde.avro.LineResultRecord;
import io.stockline.topology.serde.avro.OrderCommandRecord;
import io.stockline.topology.serde.avro.OrderRecord;
import io.stockline.topology.serde.avro.OrderRequestRecord;
import io.stockline.topology.serde.avro.OrderStatusRecord;
import io.stockline.topology.serde.avro.OriginRecord;
import io.stockline.topology.serde.avro.PaymentResultRecord;
import io.stockline.topology.serde.avro.PlaceLevelRecord;
import io.stockline.topology.serde.avro.PlaceOrderRecord;
import io.stockline.topology.serde.avro.PlaceRecord;
import io.stockline.topology.serde.avro.ReleaseCauseRecord;
import io.stockline.topology.serde.avro.RequestKindRecord;
import io.stockline.topology.serde.avro.ShipOrderRecord;
import io.stockline.topology.serde.avro.SkuPlacesRecord;
import io.stockline.topology.serde.avro.StockCommandRecord;
import io.stockline.topology.serde.avro.StockLevelRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the ledger's domain records to the Avro records of {@code src/main/avro} and back. The domain stays
 * free of Avro; the Avro records are only the wire and store format. Enums map by ordinal through
 * arrays built from the symbol names, so a renamed or reordered symbol fails at class load, not silently.
 */
final class InternalRecords {

    private static final OrderStatus[] STATUS = map(OrderStatusRecord.values(), OrderStatus.class);
    private static final OrderStatusRecord[] STATUS_RECORD = map(OrderStatus.values(), OrderStatusRecord.class);
    private static final PaymentResult[] PAYMENT = map(PaymentResultRecord.values(), PaymentResult.class);
    private static final PaymentResultRecord[] PAYMENT_RECORD = map(PaymentResult.values(), PaymentResultRecord.class);
    private static final ReleaseCause[] CAUSE = map(ReleaseCauseRecord.values(), ReleaseCause.class);
    private static final ReleaseCauseRecord[] CAUSE_RECORD = map(ReleaseCause.values(), ReleaseCauseRecord.class);

    private InternalRecords() {
    }

    static OrderCommandRecord toAvro(final OrderCommand command) {
        final OrderCommandRecord record = new OrderCommandRecord();
        if (command instanceof PlaceOrder place) {
            record.setPlace(new PlaceOrderRecord(place.eventId(), place.orderId(), toAvro(place.lines()),
                    place.placedAt(), place.holdMillis(), toAvro(place.origin())));
        } else if (command instanceof LineResult result) {
            record.setLineResult(new LineResultRecord(result.orderId(), result.sku(), result.quantity(),
                    result.reserved(), result.available(), result.decisionPublished(),
                    allocationRecords(result.allocations()), result.shortage()));
        } else {
            record.setHeld(toAvro((HeldEvent) command));
        }
        return record;
    }

    static OrderCommand fromAvro(final OrderCommandRecord record) {
        if (record.getPlace() != null) {
            final PlaceOrderRecord place = record.getPlace();
            return new PlaceOrder(place.getEventId(), place.getOrderId(), fromAvro(place.getLines()),
                    place.getPlacedAt(), place.getHoldMillis(), fromAvro(place.getOrigin()));
        }
        if (record.getLineResult() != null) {
            final LineResultRecord result = record.getLineResult();
            return new LineResult(result.getOrderId(), result.getSku(), result.getQuantity(), result.getReserved(),
                    result.getAvailable(), result.getDecisionPublished(), allocations(result.getAllocations()),
                    result.getShortage());
        }
        if (record.getHeld() != null) {
            return (OrderCommand) fromAvro(record.getHeld());
        }
        throw new IllegalArgumentException("an order command with no command in it");
    }

    static StockCommandRecord toAvro(final StockCommand command) {
        final StockCommandRecord record = new StockCommandRecord();
        if (command instanceof StockCommand.Adjust adjust) {
            record.setAdjust(toAvro(adjust));
        } else if (command instanceof StockCommand.Reserve reserve) {
            record.setRequest(request(RequestKindRecord.RESERVE, reserve.orderId(), reserve.sku(), reserve.quantity(),
                    null, null, List.of()));
            record.getRequest().setLocation(reserve.location());
            if (reserve.soleLine() != null) {
                record.getRequest().setSoleLineExpiresAt(reserve.soleLine().expiresAt());
                record.getRequest().setSoleLinePlacedAt(reserve.soleLine().placedAt());
            }
        } else if (command instanceof StockCommand.Commit commit) {
            record.setRequest(request(RequestKindRecord.COMMIT, commit.orderId(), commit.sku(), commit.quantity(),
                    null, null, commit.from()));
        } else if (command instanceof StockCommand.Release release) {
            record.setRequest(request(RequestKindRecord.RELEASE, release.orderId(), release.sku(), release.quantity(),
                    CAUSE_RECORD[release.cause().ordinal()], release.step(), release.from()));
        } else if (command instanceof StockCommand.Ship ship) {
            record.setRequest(request(RequestKindRecord.SHIP, ship.orderId(), ship.sku(), ship.quantity(), null,
                    ship.shipmentId(), ship.from()));
        } else {
            final StockCommand.Refund refund = (StockCommand.Refund) command;
            record.setRequest(request(RequestKindRecord.REFUND, refund.orderId(), refund.sku(), refund.quantity(),
                    null, refund.step(), refund.from()));
        }
        return record;
    }

    static StockCommand fromAvro(final StockCommandRecord record) {
        if (record.getAdjust() != null) {
            return fromAvro(record.getAdjust());
        }
        final OrderRequestRecord request = record.getRequest();
        if (request == null) {
            throw new IllegalArgumentException("a stock command with no command in it");
        }
        return switch (request.getKind()) {
            case RESERVE -> new StockCommand.Reserve(request.getOrderId(), request.getSku(), request.getQuantity(),
                    request.getSoleLineExpiresAt() == null ? null
                            : new StockCommand.SoleLine(request.getSoleLinePlacedAt(), request.getSoleLineExpiresAt()),
                    request.getLocation());
            case COMMIT -> new StockCommand.Commit(request.getOrderId(), request.getSku(), request.getQuantity(),
                    allocations(request.getFrom()));
            case RELEASE -> new StockCommand.Release(request.getOrderId(), request.getSku(), request.getQuantity(),
                    CAUSE[request.getCause().ordinal()], request.getStep(), allocations(request.getFrom()));
            case REFUND -> new StockCommand.Refund(request.getOrderId(), request.getSku(), request.getQuantity(),
                    request.getStep(), allocations(request.getFrom()));
            case SHIP -> new StockCommand.Ship(request.getOrderId(), request.getSku(), request.getQuantity(),
                    request.getStep(), allocations(request.getFrom()));
        };
    }

    /** The place flat, its location null when it is the default one, so an adjustment there is written as before. */
    private static AdjustRecord toAvro(final StockCommand.Adjust adjust) {
        final Place place = adjust.place();
        final Product product = adjust.product();
        return new AdjustRecord(adjust.adjustmentId(), adjust.sku(), adjust.delta(), adjust.reason(), adjust.at(),
                toAvro(adjust.origin()), adjust.lowStockThreshold(),
                place.location().equals(Place.DEFAULT_LOCATION) ? null : place.location(), place.batch(),
                place.expiresAt(), adjust.toLocation(), product == null ? null : product.productId(),
                attributes(product));
    }

    private static StockCommand.Adjust fromAvro(final AdjustRecord adjust) {
        final String location = adjust.getLocation() == null ? Place.DEFAULT_LOCATION : adjust.getLocation();
        return new StockCommand.Adjust(adjust.getAdjustmentId(), adjust.getSku(), adjust.getDelta(),
                adjust.getReason(), adjust.getAt(), fromAvro(adjust.getOrigin()), adjust.getLowStockThreshold(),
                place(location, adjust.getBatch(), adjust.getBatchExpiresAt()), adjust.getToLocation(),
                product(adjust.getProductId(), adjust.getAttributes()));
    }

    static OrderRecord toAvro(final Order order) {
        final List<HeldRecord> held = new ArrayList<>(order.held().size());
        for (final Order.Held h : order.held()) {
            held.add(new HeldRecord(toAvro(h.event()), h.arrivedAt()));
        }
        return new OrderRecord(order.orderId(), STATUS_RECORD[order.status().ordinal()], order.placedEventId(),
                toAvro(order.lines()), order.placedAt(), order.holdMillis(), order.expiresAt(), order.reason(),
                order.updatedAt(), toAvro(order.locked()), order.awaitingReplies(), order.shortage(), held,
                order.seenEventIds(), toAvro(order.sold()), placeRecords(order.places()));
    }

    static Order fromAvro(final OrderRecord record) {
        final List<Order.Held> held = new ArrayList<>(record.getHeld().size());
        for (final HeldRecord h : record.getHeld()) {
            held.add(new Order.Held(fromAvro(h.getEvent()), h.getArrivedAt()));
        }
        final OrderStatus status = STATUS[record.getStatus().ordinal()];
        final List<Line> lines = fromAvro(record.getLines());
        final Map<String, Long> locked = quantities(record.getLocked());
        return new Order(record.getOrderId(), status, record.getPlacedEventId(), lines, record.getPlacedAt(),
                record.getHoldMillis(), record.getExpiresAt(), record.getReason(), record.getUpdatedAt(), locked,
                record.getAwaitingReplies(), record.getShortage(), held, record.getSeenEventIds(),
                sold(status, lines, locked, quantities(record.getSold())), places(record.getPlaces()));
    }

    private static List<SkuPlacesRecord> placeRecords(final Map<String, List<Allocation>> places) {
        if (places.isEmpty()) {
            return List.of();
        }
        final List<SkuPlacesRecord> records = new ArrayList<>(places.size());
        places.forEach((sku, runs) -> records.add(new SkuPlacesRecord(sku, allocationRecords(runs))));
        return records;
    }

    private static Map<String, List<Allocation>> places(final List<SkuPlacesRecord> records) {
        if (records.isEmpty()) {
            return Map.of();
        }
        final Map<String, List<Allocation>> bySku = new LinkedHashMap<>();
        for (final SkuPlacesRecord record : records) {
            bySku.put(record.getSku(), allocations(record.getAllocations()));
        }
        return bySku;
    }

    /**
     * Order.v1, and the JSON before it, had no sold: a CONFIRMED order then had sold all its lines (the ledger
     * deducted on payment), and read as selling nothing, a refund after the upgrade would put nothing back. Every
     * CONFIRMED order since holds its units in locked or in sold, so one with neither is such an order.
     */
    private static Map<String, Long> sold(final OrderStatus status, final List<Line> lines,
                                          final Map<String, Long> locked, final Map<String, Long> sold) {
        if (status != OrderStatus.CONFIRMED || !locked.isEmpty() || !sold.isEmpty()) {
            return sold;
        }
        final Map<String, Long> all = new LinkedHashMap<>();
        lines.forEach(line -> all.merge(line.sku(), line.quantity(), Long::sum));
        return all;
    }

    /** A map of quantities by SKU as a list of lines, in the map's order. */
    private static List<LineRecord> toAvro(final Map<String, Long> quantities) {
        final List<LineRecord> lines = new ArrayList<>(quantities.size());
        quantities.forEach((sku, quantity) -> lines.add(new LineRecord(sku, quantity, null, null)));
        return lines;
    }

    private static Map<String, Long> quantities(final List<LineRecord> lines) {
        final Map<String, Long> bySku = new LinkedHashMap<>();
        for (final LineRecord line : lines) {
            bySku.put(line.getSku(), line.getQuantity());
        }
        return bySku;
    }

    static StockLevelRecord toAvro(final StockLevel level) {
        final Product product = level.product();
        return new StockLevelRecord(level.sku(), level.onHand(), level.available(), level.locked(), level.version(),
                level.updatedAt(), level.lowStockThreshold(), placeLevelRecords(level.places()),
                product == null ? null : product.productId(), attributes(product));
    }

    static StockLevel fromAvro(final StockLevelRecord record) {
        return new StockLevel(record.getSku(), record.getOnHand(), record.getAvailable(), record.getLocked(),
                record.getVersion(), record.getUpdatedAt(), record.getLowStockThreshold(),
                placeLevels(record.getPlaces()), product(record.getProductId(), record.getAttributes()));
    }

    private static List<PlaceLevelRecord> placeLevelRecords(final List<PlaceLevel> levels) {
        if (levels.isEmpty()) {
            return List.of();
        }
        final List<PlaceLevelRecord> records = new ArrayList<>(levels.size());
        for (final PlaceLevel level : levels) {
            records.add(new PlaceLevelRecord(toAvro(level.place()), level.onHand(), level.available(),
                    level.locked()));
        }
        return records;
    }

    private static List<PlaceLevel> placeLevels(final List<PlaceLevelRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        final List<PlaceLevel> levels = new ArrayList<>(records.size());
        for (final PlaceLevelRecord record : records) {
            levels.add(new PlaceLevel(fromAvro(record.getPlace()), record.getOnHand(), record.getAvailable(),
                    record.getLocked()));
        }
        return levels;
    }

    /** Null for no attributes: a product without any reads back the same, and costs a byte. */
    private static Map<String, String> attributes(final Product product) {
        return product == null || product.attributes().isEmpty() ? null : product.attributes();
    }

    private static Product product(final String productId, final Map<String, String> attributes) {
        return productId == null ? null : new Product(productId, attributes);
    }

    private static OrderRequestRecord request(final RequestKindRecord kind, final String orderId, final String sku,
                                              final long quantity, final ReleaseCauseRecord cause, final String step,
                                              final List<Allocation> from) {
        return new OrderRequestRecord(kind, orderId, sku, quantity, cause, null, null, step, null,
                allocationRecords(from));
    }

    private static List<AllocationRecord> allocationRecords(final List<Allocation> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        final List<AllocationRecord> records = new ArrayList<>(runs.size());
        for (final Allocation run : runs) {
            records.add(new AllocationRecord(toAvro(run.place()), run.quantity()));
        }
        return records;
    }

    private static List<Allocation> allocations(final List<AllocationRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        final List<Allocation> runs = new ArrayList<>(records.size());
        for (final AllocationRecord record : records) {
            runs.add(new Allocation(fromAvro(record.getPlace()), record.getQuantity()));
        }
        return runs;
    }

    private static PlaceRecord toAvro(final Place place) {
        return new PlaceRecord(place.location(), place.batch(), place.expiresAt());
    }

    private static Place fromAvro(final PlaceRecord record) {
        return place(record.getLocation(), record.getBatch(), record.getExpiresAt());
    }

    /** {@link Place#DEFAULT} itself for the default place (the common case), not a new place per record. */
    private static Place place(final String location, final String batch, final Long expiresAt) {
        return batch == null && expiresAt == null ? Place.at(location) : new Place(location, batch, expiresAt);
    }

    private static HeldEventRecord toAvro(final HeldEvent event) {
        final HeldEventRecord record = new HeldEventRecord();
        if (event instanceof ApplyPayment payment) {
            record.setPayment(new ApplyPaymentRecord(payment.paymentId(), payment.orderId(),
                    PAYMENT_RECORD[payment.result().ordinal()], payment.at(), toAvro(payment.origin()),
                    orNull(payment.lines()), payment.restock()));
        } else if (event instanceof ShipOrder ship) {
            record.setShip(new ShipOrderRecord(ship.shipmentId(), ship.orderId(), orNull(ship.lines()), ship.at(),
                    toAvro(ship.origin())));
        } else {
            final CancelOrder cancel = (CancelOrder) event;
            record.setCancel(new CancelOrderRecord(cancel.cancelId(), cancel.orderId(), cancel.reason(), cancel.at(),
                    toAvro(cancel.origin()), orNull(cancel.lines())));
        }
        return record;
    }

    private static HeldEvent fromAvro(final HeldEventRecord record) {
        if (record.getPayment() != null) {
            final ApplyPaymentRecord payment = record.getPayment();
            return new ApplyPayment(payment.getPaymentId(), payment.getOrderId(),
                    PAYMENT[payment.getResult().ordinal()], payment.getAt(), fromAvro(payment.getOrigin()),
                    linesOrNull(payment.getLines()), payment.getRestock());
        }
        if (record.getShip() != null) {
            final ShipOrderRecord ship = record.getShip();
            return new ShipOrder(ship.getShipmentId(), ship.getOrderId(), linesOrNull(ship.getLines()), ship.getAt(),
                    fromAvro(ship.getOrigin()));
        }
        final CancelOrderRecord cancel = record.getCancel();
        if (cancel == null) {
            throw new IllegalArgumentException("a held event that is neither a payment, a cancellation nor a shipment");
        }
        return new CancelOrder(cancel.getCancelId(), cancel.getOrderId(), cancel.getReason(), cancel.getAt(),
                fromAvro(cancel.getOrigin()), linesOrNull(cancel.getLines()));
    }

    private static List<LineRecord> orNull(final List<Line> lines) {
        return lines == null ? null : toAvro(lines);
    }

    private static List<Line> linesOrNull(final List<LineRecord> records) {
        return records == null ? null : fromAvro(records);
    }

    private static List<LineRecord> toAvro(final List<Line> lines) {
        final List<LineRecord> records = new ArrayList<>(lines.size());
        for (final Line line : lines) {
            records.add(new LineRecord(line.sku(), line.quantity(), line.location(), line.batch()));
        }
        return records;
    }

    private static List<Line> fromAvro(final List<LineRecord> records) {
        final List<Line> lines = new ArrayList<>(records.size());
        for (final LineRecord record : records) {
            lines.add(new Line(record.getSku(), record.getQuantity(), record.getLocation(), record.getBatch()));
        }
        return lines;
    }

    private static OriginRecord toAvro(final Origin origin) {
        return origin == null ? null : new OriginRecord(origin.topic(), origin.partition(), origin.offset(),
                origin.key(), origin.payload() == null ? null : ByteBuffer.wrap(origin.payload()));
    }

    private static Origin fromAvro(final OriginRecord record) {
        if (record == null) {
            return null;
        }
        final ByteBuffer payload = record.getPayload();
        byte[] bytes = null;
        if (payload != null) {
            bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
        }
        return new Origin(record.getTopic(), record.getPartition(), record.getOffset(), record.getKey(), bytes);
    }

    private static <A extends Enum<A>, B extends Enum<B>> B[] map(final A[] from, final Class<B> to) {
        @SuppressWarnings("unchecked")
        final B[] mapped = (B[]) java.lang.reflect.Array.newInstance(to, from.length);
        for (final A value : from) {
            mapped[value.ordinal()] = Enum.valueOf(to, value.name());
        }
        return mapped;
    }
}
