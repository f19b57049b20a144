package io.stockline.topology.processor;

import io.stockline.ledger.Order;
import io.stockline.topology.projection.Projections;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The order side's reporting projection: each order whose status the order processor changed becomes
 * its {@code order-status} record, in the same task and transaction as the change.
 */
public final class OrderProjectionSupplier implements ProcessorSupplier<String, Order, Struct, Struct> {

    private final String statusChild;

    public OrderProjectionSupplier(final String statusChild) {
        this.statusChild = statusChild;
    }

    @Override
    public Processor<String, Order, Struct, Struct> get() {
        return new OrderProjection();
    }

    private final class OrderProjection extends ContextualProcessor<String, Order, Struct, Struct> {

        @Override
        public void process(final Record<String, Order> record) {
            final Order order = record.value();
            context().forward(record.withKey(Projections.orderKey(order.orderId()))
                    .withValue(Projections.orderStatus(order)), statusChild);
        }
    }
}
