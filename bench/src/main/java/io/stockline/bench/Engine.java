package io.stockline.bench;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One inventory engine under test. The driver prepares it, sends it every event of the scenario in
 * sequence order from one thread, and the engine reports each order's outcomes to the {@link OutcomeLog}
 * as it learns them. Every engine applies the same rules: an order reserves all its lines or none, a
 * follow-up applies only to an order in the state it is meant for, a short-hold order expires.
 */
interface Engine extends AutoCloseable {

    String name();

    /**
     * Connects, creates what the run needs and loads the starting stock. Not timed.
     *
     * @throws EngineUnavailableException when the engine's server cannot be reached
     */
    void prepare(Scenario scenario, OutcomeLog log);

    /** Sends one event of the sequence; returns without waiting for its outcome. */
    void send(long event);

    /** Every event has been sent: push out whatever is buffered. */
    void endOfEvents();

    /** Every SKU's levels as the engine holds them now, read once the run is complete. */
    Levels levels();

    /** The process doing the engine's work, when it runs on this machine, for its CPU and memory. */
    OptionalLong servicePid();

    /** Why the engine stopped working during the run, if it did: the run then fails. */
    Optional<String> failure();

    /** How the engine was set up (durability, concurrency...), for the report. */
    Map<String, Object> settings();

    @Override
    void close();
}
