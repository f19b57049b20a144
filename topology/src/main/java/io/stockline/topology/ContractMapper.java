package io.stockline.topology;

import io.stockline.ledger.Line;
import io.stockline.ledger.Origin;
import io.stockline.ledger.Outcome;
import io.stockline.ledger.Rejection;
import io.stockline.ledger.Rollback;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.RollbackCause;
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
                lines(outcome.lines()), outcome.expiresAt() == null ? null : Instant.ofEpochMilli(outcome.expiresAt()),
                Instant.ofEpochMilli(outcome.at()));
    }

    public static StockRollback rollback(final Rollback rollback) {
        return new StockRollback(rollback.rollbackId(), rollback.orderId(), rollback.sku(), rollback.quantity(),
                RollbackCause.valueOf(rollback.cause().name()), Instant.ofEpochMilli(rollback.at()));
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

    private static List<OrderLine> lines(final List<Line> lines) {
        return lines.stream().map(l -> new OrderLine(l.sku(), l.quantity())).toList();
    }
}
