package io.stockline.app.service;

import io.stockline.app.config.ServiceConfig;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.topology.LedgerConfig;
import io.stockline.topology.LedgerSerdes;
import io.stockline.topology.LedgerTopology;
import org.apache.kafka.streams.Topology;

/** Builds the topology the service runs; tests pass a small one of their own. */
@FunctionalInterface
public interface TopologyFactory {

    Topology build(ServiceConfig config);

    /** The stock ledger, with the registry-free single-object serdes. */
    static TopologyFactory ledger() {
        return config -> ledgerTopology(config.ledgerConfig());
    }

    /** The stock ledger's topology with the registry-free single-object serdes: what the service and the bench run. */
    static Topology ledgerTopology(final LedgerConfig config) {
        return LedgerTopology.build(config, LedgerSerdes.create(new SingleObjectSerdeFactory()));
    }
}
