package io.stockline.ledger;

import java.util.List;

/**
 * What one command did to one order: its new state ({@code order} is the very same instance when nothing
 * changed) and everything to send out because of it.
 */
public record OrderStep(Order order, List<StockCommand> stockCommands, List<Outcome> outcomes,
                        List<Rejection> rejections, List<Timer> timersToSet, List<Timer> timersToClear) {

    public OrderStep {
        stockCommands = List.copyOf(stockCommands);
        outcomes = List.copyOf(outcomes);
        rejections = List.copyOf(rejections);
        timersToSet = List.copyOf(timersToSet);
        timersToClear = List.copyOf(timersToClear);
    }
}
