package io.stockline.ledger;

import io.stockline.ledger.OrderCommand.ApplyPayment;
import io.stockline.ledger.OrderCommand.CancelOrder;
import io.stockline.ledger.OrderCommand.PlaceOrder;
import java.time.Duration;
import java.time.Instant;

/**
 * How long the ledger remembers what it has settled: a settled order (with the event ids it has seen) and an
 * applied adjustment id are kept for the retention after their last change, then forgotten. Without them a
 * redelivered event could be taken for a new one, so an event whose own time is already older than the
 * retention is refused whatever the state holds ({@link RejectCode#STALE_EVENT}): what is forgotten is always
 * older than that, and whether a sweep has reached it yet never changes the answer.
 */
public final class Retention {

    private final long retentionMillis;

    public Retention(final Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("the retention must be positive, got " + retention);
        }
        this.retentionMillis = retention.toMillis();
    }

    /** A dead letter for an outside event older than the retention, or null when it may be taken in. */
    public Rejection refuseIfStale(final Object command, final long now) {
        final Stamp stamp = Stamp.of(command);
        if (stamp == null || !passed(stamp.at(), now)) {
            return null;
        }
        return new Rejection(RejectCode.STALE_EVENT, "event " + stamp.eventId() + " of "
                + Instant.ofEpochMilli(stamp.at()) + " is older than the retention of "
                + DurationText.of(Duration.ofMillis(retentionMillis)) + ": the ledger may have forgotten what it refers to",
                stamp.origin());
    }

    /** What an event from outside (placed, paid, cancelled, shipped, adjusted) says of itself; other commands have none. */
    private record Stamp(String eventId, long at, Origin origin) {

        static Stamp of(final Object command) {
            if (command instanceof PlaceOrder place) {
                return new Stamp(place.eventId(), place.placedAt(), place.origin());
            }
            if (command instanceof ApplyPayment payment) {
                return new Stamp(payment.paymentId(), payment.at(), payment.origin());
            }
            if (command instanceof CancelOrder cancel) {
                return new Stamp(cancel.cancelId(), cancel.at(), cancel.origin());
            }
            if (command instanceof OrderCommand.ShipOrder ship) {
                return new Stamp(ship.shipmentId(), ship.at(), ship.origin());
            }
            if (command instanceof StockCommand.Adjust adjust) {
                return new Stamp(adjust.adjustmentId(), adjust.at(), adjust.origin());
            }
            return null;
        }
    }

    /**
     * Whether a stored order may be forgotten: settled (nothing locked, nothing pending, nothing held: a paid
     * order whose units wait for their shipment is not), and
     * unchanged for the retention since its last change and since its own placement, so that any redelivery of
     * its events is already stale.
     */
    public boolean mayForget(final Order order, final long now) {
        final boolean settled = switch (order.status()) {
            case PENDING, RESERVED, AMENDED -> false;
            case AWAITING_ORDER -> order.held().isEmpty();
            default -> order.locked().isEmpty();
        };
        return settled && passed(Math.max(order.updatedAt(), order.placedAt()), now);
    }

    /**
     * What an applied adjustment's id is stored with: the later of its own time and when it was applied, so
     * that it is forgotten only once a redelivery would be stale.
     */
    public static long keptFrom(final StockCommand.Adjust adjust, final long now) {
        return Math.max(adjust.at(), now);
    }

    /** Whether an applied adjustment id stored with {@link #keptFrom} may be forgotten. */
    public boolean mayForgetAdjustment(final long keptFrom, final long now) {
        return passed(keptFrom, now);
    }

    private boolean passed(final long since, final long now) {
        return since <= now - retentionMillis;
    }
}
