package io.stockline.ledger;

import java.util.List;
import java.util.Optional;

/**
 * What one command did to one order: its new state ({@code order} is the very same instance when nothing
 * changed) and everything to send out because of it.
 */
public record OrderStep(Order order, List<StockCommand> stockCommands, List<Outcome> outcomes,
                        List<Rejection> rejections, List<Timer> timersToSet, List<Timer> timersToClear,
                        boolean decidedElsewhere) {

    public OrderStep {
        stockCommands = List.copyOf(stockCommands);
        outcomes = List.copyOf(outcomes);
        rejections = List.copyOf(rejections);
        timersToSet = List.copyOf(timersToSet);
        timersToClear = List.copyOf(timersToClear);
    }

    /**
     * The order, when this step moved it to another decided status (or set its reason anew). Every such
     * move publishes an outcome (or, for a one-line order's decision, the stock side did: {@code
     * decidedElsewhere}), and nothing else does, so the outcomes tell; a step that publishes several
     * (reserved, then confirmed by a held payment) is one change, to where it ended.
     */
    public Optional<Order> statusChange() {
        return outcomes.isEmpty() && !decidedElsewhere ? Optional.empty() : Optional.of(order);
    }
}
