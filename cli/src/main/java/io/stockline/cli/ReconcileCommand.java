package io.stockline.cli;

import io.stockline.reporting.LedgerClient;
import io.stockline.reporting.ReconcileReport;
import io.stockline.reporting.Reconciler;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stockline reconcile}: do the reporting tables agree with the ledger? */
@Command(name = "reconcile",
        description = {"Compare every SKU in the reporting database's stock_levels with the ledger's answer over "
                + "HTTP (and every SKU the ledger has with stock_levels), check each row's invariants "
                + "(available + locked = on_hand, neither negative) and that its stock_movements sum to its "
                + "levels, one movement per version.",
                "Prints the differences as a table; exit code 0 when there are none, 1 otherwise. Run it when "
                        + "no events are flowing: a row the sink has yet to write counts as a difference."})
public final class ReconcileCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DatabaseOptions database;

    @Option(names = "--http-url", paramLabel = "URL",
            defaultValue = "${env:STOCKLINE_HTTP_URL:-http://127.0.0.1:8080}",
            description = "The ledger's HTTP API (env STOCKLINE_HTTP_URL). Default: ${DEFAULT-VALUE}.")
    private URI httpUrl;

    @Override
    public Integer call() {
        final ReconcileReport report = new Reconciler(database.database(), new LedgerClient(httpUrl)).run();
        final PrintWriter out = spec.commandLine().getOut();
        out.print(report.render());
        out.flush();
        return report.agrees() ? 0 : 1;
    }
}
