package io.stockline.reporting;

import java.time.Instant;

/** One SKU's levels as the ledger's HTTP API answers them ({@code GET /stock/{sku}}). */
public record LedgerLevel(String sku, long onHand, long available, long locked, long version, Instant updatedAt) {
}
