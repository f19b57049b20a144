package io.stockline.topology.serde;

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
import io.stockline.ledger.ReleaseCause;
import io.stockline.ledger.StockCommand;
import io.stockline.ledger.StockLevel;
import io.stockline.topology.serde.avro.AdjustRecord;
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
import io.stockline.topology.serde.avro.PlaceOrderRecord;
import io.stockline.topology.serde.avro.ReleaseCauseRecord;
import io.stockline.topology.serde.avro.RequestKindRecord;
import io.stockline.topology.serde.avro.ShipOrderRecord;
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
                    result.reserved(), result.available(), result.decisionPublished()));
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
                    result.getAvailable(), result.getDecisionPublished());
        }
        if (record.getHeld() != null) {
            return (OrderCommand) fromAvro(record.getHeld());
        }
        throw new IllegalArgumentException("an order command with no command in it");
    }

    static StockCommandRecord toAvro(final StockCommand command) {
        final StockCommandRecord record = new StockCommandRecord();
        if (command instanceof StockCommand.Adjust adjust) {
            record.setAdjust(new AdjustRecord(adjust.adjustmentId(), adjust.sku(), adjust.delta(), adjust.reason(),
                    adjust.at(), toAvro(adjust.origin()), adjust.lowStockThreshold()));
        } else if (command instanceof StockCommand.Reserve reserve) {
            record.setRequest(request(RequestKindRecord.RESERVE, reserve.orderId(), reserve.sku(), reserve.quantity(),
                    null));
            if (reserve.soleLine() != null) {
                record.getRequest().setSoleLineExpiresAt(reserve.soleLine().expiresAt());
                record.getRequest().setSoleLinePlacedAt(reserve.soleLine().placedAt());
            }
        } else if (command instanceof StockCommand.Commit commit) {
            record.setRequest(request(RequestKindRecord.COMMIT, commit.orderId(), commit.sku(), commit.quantity(),
                    null));
        } else if (command instanceof StockCommand.Release release) {
            record.setRequest(request(RequestKindRecord.RELEASE, release.orderId(), release.sku(), release.quantity(),
                    CAUSE_RECORD[release.cause().ordinal()]));
            record.getRequest().setStep(release.step());
        } else if (command instanceof StockCommand.Ship ship) {
            record.setRequest(request(RequestKindRecord.SHIP, ship.orderId(), ship.sku(), ship.quantity(), null));
            record.getRequest().setStep(ship.shipmentId());
        } else {
            final StockCommand.Refund refund = (StockCommand.Refund) command;
            record.setRequest(request(RequestKindRecord.REFUND, refund.orderId(), refund.sku(), refund.quantity(),
                    null));
            record.getRequest().setStep(refund.step());
        }
        return record;
    }

    static StockCommand fromAvro(final StockCommandRecord record) {
        if (record.getAdjust() != null) {
            final AdjustRecord adjust = record.getAdjust();
            return new StockCommand.Adjust(adjust.getAdjustmentId(), adjust.getSku(), adjust.getDelta(),
                    adjust.getReason(), adjust.getAt(), fromAvro(adjust.getOrigin()), adjust.getLowStockThreshold());
        }
        final OrderRequestRecord request = record.getRequest();
        if (request == null) {
            throw new IllegalArgumentException("a stock command with no command in it");
        }
        return switch (request.getKind()) {
            case RESERVE -> new StockCommand.Reserve(request.getOrderId(), request.getSku(), request.getQuantity(),
                    request.getSoleLineExpiresAt() == null ? null
                            : new StockCommand.SoleLine(request.getSoleLinePlacedAt(), request.getSoleLineExpiresAt()));
            case COMMIT -> new StockCommand.Commit(request.getOrderId(), request.getSku(), request.getQuantity());
            case RELEASE -> new StockCommand.Release(request.getOrderId(), request.getSku(), request.getQuantity(),
                    CAUSE[request.getCause().ordinal()], request.getStep());
            case REFUND -> new StockCommand.Refund(request.getOrderId(), request.getSku(), request.getQuantity(),
                    request.getStep());
            case SHIP -> new StockCommand.Ship(request.getOrderId(), request.getSku(), request.getQuantity(),
                    request.getStep());
        };
    }

    static OrderRecord toAvro(final Order order) {
        final List<HeldRecord> held = new ArrayList<>(order.held().size());
        for (final Order.Held h : order.held()) {
            held.add(new HeldRecord(toAvro(h.event()), h.arrivedAt()));
        }
        return new OrderRecord(order.orderId(), STATUS_RECORD[order.status().ordinal()], order.placedEventId(),
                toAvro(order.lines()), order.placedAt(), order.holdMillis(), order.expiresAt(), order.reason(),
                order.updatedAt(), toAvro(order.locked()), order.awaitingReplies(), order.shortage(), held,
                order.seenEventIds(), toAvro(order.sold()));
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
                sold(status, lines, locked, quantities(record.getSold())));
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
        quantities.forEach((sku, quantity) -> lines.add(new LineRecord(sku, quantity)));
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
        return new StockLevelRecord(level.sku(), level.onHand(), level.available(), level.locked(), level.version(),
                level.updatedAt(), level.lowStockThreshold());
    }

    static StockLevel fromAvro(final StockLevelRecord record) {
        return new StockLevel(record.getSku(), record.getOnHand(), record.getAvailable(), record.getLocked(),
                record.getVersion(), record.getUpdatedAt(), record.getLowStockThreshold());
    }

    private static OrderRequestRecord request(final RequestKindRecord kind, final String orderId, final String sku,
                                              final long quantity, final ReleaseCauseRecord cause) {
        return new OrderRequestRecord(kind, orderId, sku, quantity, cause, null, null, null);
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
            records.add(new LineRecord(line.sku(), line.quantity()));
        }
        return records;
    }

    private static List<Line> fromAvro(final List<LineRecord> records) {
        final List<Line> lines = new ArrayList<>(records.size());
        for (final LineRecord record : records) {
            lines.add(new Line(record.getSku(), record.getQuantity()));
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
