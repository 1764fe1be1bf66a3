package io.herald.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time of this JVM, of every {@code postgres} process, and of the whole machine, read from Linux's
 * {@code /proc}. Two snapshots give the share of a core each side used during a case, which tells whether the
 * JVM, the database or neither is the limit. Where {@code /proc} is missing every figure is unknown.
 */
final class CpuSampler {

  /** Kernel clock ticks per second ({@code getconf CLK_TCK}); 100 on every mainstream Linux build. */
  private static final double TICKS_PER_SECOND = 100.0;
  private static final Path PROC = Path.of("/proc");

  private CpuSampler() {
  }

  /** Cumulative CPU ticks at one moment; -1 when unknown. */
  record Snapshot(long nanoTime, long jvm, long postgres, long machineBusy, long machineTotal) {

    /** @return the CPU used between {@code start} and this snapshot */
    Usage since(Snapshot start) {
      double seconds = (nanoTime - start.nanoTime) / 1e9;
      if (jvm < 0 || start.jvm < 0 || seconds <= 0) {
        return Usage.UNKNOWN;
      }
      double total = machineTotal - start.machineTotal;
      return new Usage(
          100.0 * (jvm - start.jvm) / TICKS_PER_SECOND / seconds,
          100.0 * (postgres - start.postgres) / TICKS_PER_SECOND / seconds,
          total <= 0 ? Double.NaN : 100.0 * (machineBusy - start.machineBusy) / total);
    }
  }

  /**
   * @param jvmPercent      this JVM's CPU in percent of one core (200 = two cores busy)
   * @param postgresPercent all postgres processes' CPU in percent of one core
   * @param machinePercent  the whole machine's busy time in percent of all its cores
   */
  record Usage(double jvmPercent, double postgresPercent, double machinePercent) {
    static final Usage UNKNOWN = new Usage(Double.NaN, Double.NaN, Double.NaN);

    /** @return CPU of everything else on the machine (other programs, the kernel), in percent of one core */
    double otherPercent() {
      double busy = machinePercent * Runtime.getRuntime().availableProcessors();
      return Math.max(0, busy - jvmPercent - postgresPercent);
    }
  }

  /** @return the 1-minute load average, or NaN where unknown */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(PROC.resolve("loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static Snapshot snapshot() {
    long now = System.nanoTime();
    try {
      long jvm = processTicks(PROC.resolve("self/stat"));
      long postgres = 0;
      try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
        for (Path pid : pids) {
          try {
            if ("postgres".equals(Files.readString(pid.resolve("comm")).trim())) {
              postgres += processTicks(pid.resolve("stat"));
            }
          } catch (IOException | RuntimeException gone) {
            // the process ended while we looked
          }
        }
      }
      long[] machine = machineTicks();
      return new Snapshot(now, jvm, postgres, machine[0], machine[1]);
    } catch (IOException | RuntimeException e) {
      return new Snapshot(now, -1, -1, -1, -1);
    }
  }

  // fields 14 and 15 of /proc/<pid>/stat (utime, stime), counted after the parenthesised command name
  private static long processTicks(Path stat) throws IOException {
    String line = Files.readString(stat);
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  // first line of /proc/stat: cpu user nice system idle iowait irq softirq steal ...
  private static long[] machineTicks() throws IOException {
    List<String> lines = Files.readAllLines(PROC.resolve("stat"));
    String[] f = lines.get(0).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < Math.min(f.length, 9); i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new long[] {total - idle, total};
  }
}
