package io.stockline.bench;

import java.util.Map;

/**
 * What a run cost, over its measured phase. A figure that could not be taken is -1.
 *
 * @param wallSeconds        the measured phase
 * @param serviceCpuSeconds  CPU time (user + system) of the process serving the engine: the bench JVM
 *                           itself for Stockline (broker, Kafka Streams and driver), redis-server, mariadbd
 * @param serviceCores       serviceCpuSeconds / wallSeconds
 * @param servicePeakRssMib  the largest resident set of that process, sampled every 100 ms
 * @param peakHeapMib        in-process engines: the largest heap in use, sampled every 100 ms
 * @param driverCpuSeconds   CPU time of the bench's own driver (generating, sending, reading outcomes)
 * @param cpuByThreadGroup   in-process engines: CPU seconds by thread group (threads that ended during the
 *                           run, and the JVM's own GC and JIT threads, are in "jvm-and-other")
 */
record Usage(double wallSeconds, double serviceCpuSeconds, double serviceCores, double servicePeakRssMib,
             double peakHeapMib, double driverCpuSeconds, Map<String, Double> cpuByThreadGroup) {
}
