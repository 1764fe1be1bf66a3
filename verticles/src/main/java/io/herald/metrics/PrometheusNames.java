package io.herald.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Keeps the standard JVM meters within the naming rules {@code promtool check metrics} enforces: the two counted in
 * milliseconds and nanoseconds ({@code jvm_compilation_time_ms_total}, {@code process_cpu_time_ns_total}) are
 * replaced by the same counts in seconds ({@code jvm_compilation_time_seconds_total},
 * {@code process_cpu_seconds_total}), and the gauge {@code system_cpu_count} is named {@code system_cpu_cores}.
 */
public final class PrometheusNames implements MeterFilter {

  /** Installs the filter and the meters in seconds; call before anything registers meters. */
  public static void apply(MeterRegistry registry) {
    registry.config().meterFilter(new PrometheusNames());
    CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
    if (compilation != null && compilation.isCompilationTimeMonitoringSupported()) {
      FunctionCounter.builder("jvm.compilation.time", compilation, c -> c.getTotalCompilationTime() / 1_000.0)
          .baseUnit("seconds").description("Time the JIT compiler has spent compiling").register(registry);
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean cpu) {
      FunctionCounter.builder("process.cpu", cpu, c -> c.getProcessCpuTime() / 1e9)
          .baseUnit("seconds").description("CPU time used by this process").register(registry);
    }
  }

  @Override
  public MeterFilterReply accept(Meter.Id id) {
    String unit = id.getBaseUnit();
    return "ms".equals(unit) || "ns".equals(unit) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
  }

  @Override
  public Meter.Id map(Meter.Id id) {
    return "system.cpu.count".equals(id.getName()) ? id.withName("system.cpu.cores") : id;
  }
}
