package io.stockline.app.query;

import io.stockline.schemas.api.StockView;
import java.util.List;
import java.util.Set;

/**
 * One instance's share of a stock page: up to {@code limit + 1} SKUs from the partitions it serves (the
 * extra one tells the merger whether another page follows), and which partitions those were, so the
 * merger can tell a complete answer from one with a partition missing mid-rebalance.
 */
public record PartialPage(List<StockView> items, Set<Integer> partitions) {
}
