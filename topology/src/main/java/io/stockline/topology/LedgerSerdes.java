package io.stockline.topology;

import io.stockline.ledger.Order;
import io.stockline.ledger.OrderCommand;
import io.stockline.ledger.StockCommand;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.OrderCancelled;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.OrderShipped;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.StockAlert;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.StockRollback;
import io.stockline.schemas.serde.SerdeFactory;
import io.stockline.topology.serde.AvroInternalSerde;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * Every serde the topology uses. Contract records come from the {@link SerdeFactory}, so swapping the
 * wire format touches no processor; the ledger's own commands and state records are internal (Avro too,
 * with schemas of their own, see {@link AvroInternalSerde}).
 */
public record LedgerSerdes(Serde<OrderPlaced> orders, Serde<PaymentEvent> payments,
                           Serde<OrderCancelled> cancellations, Serde<OrderShipped> shipments,
                           Serde<StockAdjusted> adjustments,
                           Serde<OrderOutcome> outcomes, Serde<StockRollback> rollbacks,
                           Serde<StockMovement> movements, Serde<StockAlert> alerts, Serde<DeadLetter> deadLetters,
                           Serde<OrderCommand> orderCommands, Serde<StockCommand> stockCommands,
                           Serde<Order> orderState, Serde<StockLevel> stockState) {

    public LedgerSerdes {
        Objects.requireNonNull(orders, "orders");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }

    public static LedgerSerdes create(final SerdeFactory events) {
        return new LedgerSerdes(events.serde(OrderPlaced.class), events.serde(PaymentEvent.class),
                events.serde(OrderCancelled.class), events.serde(OrderShipped.class), events.serde(StockAdjusted.class),
                events.serde(OrderOutcome.class), events.serde(StockRollback.class),
                events.serde(StockMovement.class), events.serde(StockAlert.class), events.serde(DeadLetter.class),
                AvroInternalSerde.orderCommands(),
                AvroInternalSerde.stockCommands(), AvroInternalSerde.orders(), AvroInternalSerde.stockLevels());
    }
}
