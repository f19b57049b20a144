package io.stockline.topology;

import io.stockline.ledger.Alert;
import io.stockline.ledger.Line;
import io.stockline.ledger.Movement;
import io.stockline.ledger.Origin;
import io.stockline.ledger.Outcome;
import io.stockline.ledger.Place;
import io.stockline.ledger.PlaceLevel;
import io.stockline.ledger.Rejection;
import io.stockline.ledger.Rollback;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.MovementKind;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.RollbackCause;
import io.stockline.schemas.StockAlert;
import io.stockline.schemas.StockAlertKind;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.StockRollback;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Turns the ledger's domain results into the contract's output records. */
public final class ContractMapper {

    private ContractMapper() {
    }

    public static OrderOutcome outcome(final Outcome outcome) {
        return new OrderOutcome(outcome.orderId(), OrderStatus.valueOf(outcome.status().name()), outcome.reason(),
                lines(outcome.lines()), instantOrNull(outcome.expiresAt()), Instant.ofEpochMilli(outcome.at()),
                instantOrNull(outcome.placedAt()));
    }

    /** A change of a SKU's levels, as published on stock-movements. */
    public static StockMovement movement(final Movement movement) {
        final StockLevel after = movement.after();
        final Place place = movement.place();
        final PlaceLevel placeAfter = movement.placeAfter();
        return new StockMovement(movement.movementId(), movement.sku(),
                MovementKind.valueOf(movement.kind().name()), movement.orderId(),
                movement.adjustmentId(), movement.cause() == null ? null : RollbackCause.valueOf(movement.cause().name()),
                movement.onHandDelta(), movement.availableDelta(), movement.lockedDelta(), after.onHand(),
                after.available(), after.locked(), after.version(), Instant.ofEpochMilli(movement.at()),
                place == null ? null : place.location(), place == null ? null : place.batch(),
                place == null ? null : instantOrNull(place.expiresAt()),
                placeAfter == null ? null : placeAfter.onHand(), placeAfter == null ? null : placeAfter.available(),
                placeAfter == null ? null : placeAfter.locked());
    }

    public static StockRollback rollback(final Rollback rollback) {
        return new StockRollback(rollback.rollbackId(), rollback.orderId(), rollback.sku(), rollback.quantity(),
                RollbackCause.valueOf(rollback.cause().name()), Instant.ofEpochMilli(rollback.at()));
    }

    /** A crossing of a SKU's available stock, as published on stock-alerts; no location, as stock is per SKU. */
    public static StockAlert alert(final Alert alert) {
        return new StockAlert(alert.sku(), null, StockAlertKind.valueOf(alert.kind().name()), alert.available(),
                alert.threshold(), Instant.ofEpochMilli(alert.at()));
    }

    public static DeadLetter deadLetter(final Rejection rejection, final long at) {
        return deadLetter(rejection.origin(), DeadLetterCode.valueOf(rejection.code().name()), rejection.message(),
                at);
    }

    public static DeadLetter deadLetter(final Origin origin, final DeadLetterCode code, final String message,
                                        final long at) {
        return new DeadLetter(origin.topic(), origin.partition(), origin.offset(), origin.key(),
                origin.payload() == null ? null : ByteBuffer.wrap(origin.payload()), code, message,
                Instant.ofEpochMilli(at));
    }

    private static Instant instantOrNull(final Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
    }

    private static List<OrderLine> lines(final List<Line> lines) {
        return lines.stream().map(l -> new OrderLine(l.sku(), l.quantity(), l.location(), l.batch())).toList();
    }
}
