package io.stockline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Measures CPU and memory over a run's measured phase: the serving process through {@code /proc} (Linux;
 * elsewhere those figures are -1), this JVM through its management beans, and, when the engine runs in
 * this JVM, CPU by thread group.
 */
final class ResourceProbe implements AutoCloseable {

    static final String STREAMS = "kafka-streams";
    static final String DRIVER = "driver";
    static final String BROKER = "broker-and-other-threads";
    static final String REST = "jvm-gc-jit-and-ended-threads";
    /** Names of the bench's own threads, and the client id of its Kafka clients, start with this. */
    static final String DRIVER_PREFIX = "bench-";
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final long SAMPLE_MILLIS = 100;
    private static final double MIB = 1024.0 * 1024.0;

    private final long selfPid = ProcessHandle.current().pid();
    private final OptionalLong servicePid;
    private final boolean inProcess;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os = operatingSystem();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread thread = new Thread(r, DRIVER_PREFIX + "resource-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Long, Long> threadCpuAtStart = new HashMap<>();
    private final long startNanos;
    private final long serviceCpuAtStart;
    private final long selfCpuAtStart;
    private volatile long peakRssBytes = -1;
    private volatile long peakHeapBytes = -1;

    private ResourceProbe(final OptionalLong servicePid) {
        this.servicePid = servicePid;
        this.inProcess = servicePid.isPresent() && servicePid.getAsLong() == selfPid;
        if (inProcess && threads.isThreadCpuTimeSupported()) {
            threads.setThreadCpuTimeEnabled(true);
            for (final long id : threads.getAllThreadIds()) {
                threadCpuAtStart.put(id, Math.max(0, threads.getThreadCpuTime(id)));
            }
        }
        startNanos = System.nanoTime();
        serviceCpuAtStart = serviceCpuNanos();
        selfCpuAtStart = selfCpuNanos();
        sample();
        sampler.scheduleAtFixedRate(this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts measuring; {@code servicePid} is this JVM's own pid for an in-process engine. */
    static ResourceProbe start(final OptionalLong servicePid) {
        return new ResourceProbe(servicePid);
    }

    /** Stops measuring and says what the phase cost. */
    Usage stop() {
        sampler.shutdownNow();
        sample();
        final double wall = (System.nanoTime() - startNanos) / 1e9;
        final long serviceCpu = serviceCpuNanos();
        final double serviceSeconds = serviceCpu < 0 || serviceCpuAtStart < 0 ? -1
                : (serviceCpu - serviceCpuAtStart) / 1e9;
        final double selfSeconds = (selfCpuNanos() - selfCpuAtStart) / 1e9;
        final Map<String, Double> byGroup = inProcess ? cpuByThreadGroup(selfSeconds) : Map.of();
        final double driverSeconds = inProcess ? byGroup.getOrDefault(DRIVER, 0.0) : selfSeconds;
        return new Usage(round(wall), round(serviceSeconds), serviceSeconds < 0 ? -1 : round(serviceSeconds / wall),
                peakRssBytes < 0 ? -1 : round(peakRssBytes / MIB), peakHeapBytes < 0 ? -1 : round(peakHeapBytes / MIB),
                round(driverSeconds), byGroup);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    private Map<String, Double> cpuByThreadGroup(final double processSeconds) {
        final Map<String, Double> byGroup = new TreeMap<>();
        double measured = 0;
        for (final long id : threads.getAllThreadIds()) {
            final ThreadInfo info = threads.getThreadInfo(id);
            final long cpu = threads.getThreadCpuTime(id);
            if (info == null || cpu < 0) {
                continue;
            }
            final double seconds = (cpu - threadCpuAtStart.getOrDefault(id, 0L)) / 1e9;
            byGroup.merge(groupOf(info.getThreadName()), seconds, Double::sum);
            measured += seconds;
        }
        byGroup.put(REST, Math.max(0, processSeconds - measured));
        byGroup.replaceAll((group, seconds) -> round(seconds));
        return byGroup;
    }

    static String groupOf(final String threadName) {
        if (threadName.contains("StreamThread")) {
            return STREAMS;
        }
        if (threadName.startsWith(DRIVER_PREFIX) || threadName.contains("| " + DRIVER_PREFIX)) {
            return DRIVER;
        }
        return BROKER;
    }

    private void sample() {
        if (servicePid.isPresent()) {
            final long rss = statusKib(servicePid.getAsLong(), "VmRSS:") * 1024;
            if (rss > peakRssBytes) {
                peakRssBytes = rss;
            }
        }
        if (inProcess) {
            final long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (heap > peakHeapBytes) {
                peakHeapBytes = heap;
            }
        }
    }

    private long serviceCpuNanos() {
        if (servicePid.isEmpty()) {
            return -1;
        }
        return servicePid.getAsLong() == selfPid ? selfCpuNanos() : procCpuNanos(servicePid.getAsLong());
    }

    private long selfCpuNanos() {
        return os == null ? procCpuNanos(selfPid) : os.getProcessCpuTime();
    }

    /** utime + stime from /proc/PID/stat (fields 14 and 15, counted after the command name). */
    private static long procCpuNanos(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.US_ASCII);
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            final long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (final IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long statusKib(final long pid, final String field) {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (final IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static com.sun.management.OperatingSystemMXBean operatingSystem() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean bean
                ? bean : null;
    }

    private static double round(final double value) {
        return Math.round(value * 100) / 100.0;
    }
}
