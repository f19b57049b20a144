package io.stockline.cli;

import io.stockline.app.config.ServiceConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}, as {@code run}, {@code broker} and {@code connect} share it. */
final class DataDirOption {

    @Option(names = "--data-dir", paramLabel = "DIR",
            defaultValue = "${env:STOCKLINE_DATA_DIR:-" + ServiceConfig.DEFAULT_DATA_DIR + "}",
            description = "Where Stockline keeps its files and finds them again on the next start: the embedded "
                    + "broker's log (DIR/kafka), the state stores (DIR/streams), the Connect worker's offsets "
                    + "(DIR/connect). Default: ${DEFAULT-VALUE}.")
    private Path dataDir;

    Path dataDir() {
        return dataDir;
    }
}
