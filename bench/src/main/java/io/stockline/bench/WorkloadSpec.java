package io.stockline.bench;

import io.stockline.ledger.DeductOn;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything that decides the generated event sequence; two runs with the same spec send the same events.
 *
 * @param workload    flash sale or mixed
 * @param orders      how many orders are placed
 * @param units       flash sale: the units of its one SKU
 * @param skus        mixed: how many SKUs
 * @param stockPerSku mixed: the units every SKU starts with, or -1 to stock each by {@code stockCover}
 * @param stockCover  mixed: each SKU starts with this multiple of the units the run is expected to ask of it
 *                    (at least one), as a shop stocks what sells
 * @param skew        mixed: the Zipf exponent of SKU popularity
 * @param maxLines    mixed: orders have 1 to this many lines (distinct SKUs), uniformly
 * @param maxQuantity mixed: each line asks for 1 to this many units, uniformly
 * @param mix         mixed: how orders end
 * @param deductOn    when the ledger takes a paid order's units off hand: at payment, or at shipment (which
 *                    shipments need, and which adds a shipment before a partial refund's returns)
 * @param expireHold  the hold of orders left to expire (the others take the ledger's default hold)
 * @param followUpLag how many orders later an order's first follow-up comes; each further one as many orders later
 * @param buyers      distinct customer ids the orders are spread over
 * @param seed        the random seed
 * @param locations   the locations each SKU's starting stock is spread over; 1 keeps it all at the ledger's one
 *                    location {@code default}, as before locations ({@link StockSpread})
 * @param batches     the batches each location's share comes in, expiring far beyond any run; 0: no batch
 */
public record WorkloadSpec(Workload workload, int orders, long units, int skus, long stockPerSku,
                           double stockCover, double skew,
                           int maxLines, int maxQuantity, Mix mix, DeductOn deductOn, Duration expireHold,
                           int followUpLag,
                           int buyers, long seed, int locations, int batches) {

    public WorkloadSpec {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(mix, "mix");
        Objects.requireNonNull(deductOn, "deductOn");
        Objects.requireNonNull(expireHold, "expireHold");
        require(orders >= 1, "--orders must be at least 1, got " + orders);
        require(units >= 0, "--units must not be negative, got " + units);
        require(skus >= 1, "--skus must be at least 1, got " + skus);
        require(stockPerSku >= -1, "--stock must not be negative, got " + stockPerSku);
        require(stockCover > 0, "--stock-cover must be positive, got " + stockCover);
        require(skew >= 0, "--skew must not be negative, got " + skew);
        require(maxLines >= 1 && maxLines <= 100, "--max-lines must be between 1 and 100, got " + maxLines);
        require(maxLines <= skus || workload == Workload.FLASH_SALE,
                "--max-lines (" + maxLines + ") cannot exceed --skus (" + skus + "): lines are distinct SKUs");
        require(maxQuantity >= 1, "--max-quantity must be at least 1, got " + maxQuantity);
        require(!expireHold.isNegative() && !expireHold.isZero(), "--expire-hold must be positive");
        require(followUpLag >= 0, "--follow-up-lag must not be negative, got " + followUpLag);
        require(buyers >= 1, "--buyers must be at least 1, got " + buyers);
        require(locations >= 1 && locations <= StockSpread.MAX_LOCATIONS, "--locations must be between 1 and "
                + StockSpread.MAX_LOCATIONS + ", got " + locations);
        require(batches >= 0 && batches <= StockSpread.MAX_BATCHES, "--batches must be between 0 and "
                + StockSpread.MAX_BATCHES + ", got " + batches);
        require(workload == Workload.FLASH_SALE || deductOn == DeductOn.SHIPMENT || !mix.has(Intention.SHIP),
                "--mix has ship, which needs --deduct-on shipment: deducting on payment, the ledger has nothing "
                        + "allocated to ship and a shipment is a dead letter");
    }

    /** A workload keeping every SKU's stock at the one location {@code default}, in no batch. */
    public WorkloadSpec(final Workload workload, final int orders, final long units, final int skus,
                        final long stockPerSku, final double stockCover, final double skew, final int maxLines,
                        final int maxQuantity, final Mix mix, final DeductOn deductOn, final Duration expireHold,
                        final int followUpLag, final int buyers, final long seed) {
        this(workload, orders, units, skus, stockPerSku, stockCover, skew, maxLines, maxQuantity, mix, deductOn,
                expireHold, followUpLag, buyers, seed, 1, 0);
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
