package io.stockline.topology.processor;

import io.stockline.ledger.Order;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Where the ledger processor's status changes end: nothing reads them since the {@code order_status} table
 * is derived from {@code order-outcomes}, but the ledger processor still forwards them to a child. To go
 * with {@code LedgerProcessorSupplier.Children#statusChanges} and {@code OrderStep#statusChange}.
 */
public final class IgnoredStatusChangesSupplier implements ProcessorSupplier<String, Order, Void, Void> {

    @Override
    public Processor<String, Order, Void, Void> get() {
        return new IgnoredStatusChanges();
    }

    private static final class IgnoredStatusChanges implements Processor<String, Order, Void, Void> {

        @Override
        public void process(final Record<String, Order> record) {
            // nothing reads them any more
        }
    }
}
