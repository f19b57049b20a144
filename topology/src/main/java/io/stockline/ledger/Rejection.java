package io.stockline.ledger;

/** An event the ledger read but did not accept: it becomes a dead letter. */
public record Rejection(RejectCode code, String message, Origin origin) {
}
