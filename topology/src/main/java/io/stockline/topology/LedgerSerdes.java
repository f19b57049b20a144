package io.stockline.topology;

import io.stockline.schemas.serde.SerdeFactory;
import java.util.Objects;

/**
 * The serdes the topology uses. Contract records go through the {@link SerdeFactory}; the ledger's own
 * command and state records are internal.
 */
public record LedgerSerdes(SerdeFactory events) {

    public LedgerSerdes {
        Objects.requireNonNull(events, "events");
    }
}
