package io.herald.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.vertx.core.Vertx;

/**
 * A Kafka broker of a test's own, reachable only through a {@link TcpProxy}, so that cutting the proxy really cuts
 * its clients off.
 *
 * <p>Why not a proxy in front of the shared broker on 127.0.0.1:9092: a Kafka client uses the bootstrap address only
 * to learn the broker's advertised listener, and then connects there, around any proxy. This broker is a single-node
 * KRaft process started from the Kafka distribution {@code scripts/kafka.sh} installs ({@code var/kafka/libs}), in a
 * temporary directory, on free ports, and it advertises the proxy's address. It starts in a few seconds.
 *
 * <p>The distribution is looked up in the system property {@code herald.kafka.home}, then the environment variable
 * {@code HERALD_KAFKA_HOME} (as for {@code scripts/kafka.sh}), then {@code var/kafka} in the working directory or
 * one of its parents.
 */
public final class KafkaBehindProxy implements AutoCloseable {

  private static final long START_SECONDS = 90;

  private final Vertx vertx;
  private final TcpProxy proxy;
  private final Process process;
  private final Path directory;

  private KafkaBehindProxy(Vertx vertx, TcpProxy proxy, Process process, Path directory) {
    this.vertx = vertx;
    this.proxy = proxy;
    this.process = process;
    this.directory = directory;
  }

  /** Starts the proxy and the broker behind it; blocks until the broker is ready. */
  public static KafkaBehindProxy start() throws Exception {
    Path libs = home().resolve("libs");
    Path directory = Files.createTempDirectory("herald-kafka-");
    int brokerPort = freePort();
    int controllerPort = freePort();
    Vertx vertx = Vertx.vertx();
    TcpProxy proxy = TcpProxy.start(vertx, "127.0.0.1", brokerPort).await(10, TimeUnit.SECONDS);
    Path conf = directory.resolve("server.properties");
    Files.writeString(conf, String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + proxy.port() + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "inter.broker.listener.name=PLAINTEXT",
        "log.dirs=" + directory.resolve("data"),
        "num.partitions=1",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=true", ""));
    Path logConfig = directory.resolve("log4j2.properties"); // INFO, where "Kafka Server started" is told
    Files.writeString(logConfig, String.join("\n",
        "appender.out.type = Console", "appender.out.name = out", "appender.out.layout.type = PatternLayout",
        "appender.out.layout.pattern = [%d] %p %m (%c)%n", "rootLogger.level = info", "rootLogger.appenderRef.out.ref = out",
        "logger.apache.name = org.apache.kafka", "logger.apache.level = warn", ""));
    Path log = directory.resolve("server.log");
    String classpath = libs + "/*";
    run(directory, log, List.of("kafka.tools.StorageTool", "format", "--standalone", "-t", clusterId(), "-c",
        conf.toString()), classpath).waitFor(START_SECONDS, TimeUnit.SECONDS);
    Process process = run(directory, log, List.of("kafka.Kafka", conf.toString()), classpath);
    KafkaBehindProxy kafka = new KafkaBehindProxy(vertx, proxy, process, directory);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
      while (!Files.readString(log).contains("Kafka Server started")) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("the test's own Kafka broker did not start within " + START_SECONDS + " s ("
              + (process.isAlive() ? "still starting" : "exited") + "); its log:\n" + Files.readString(log));
        }
        Thread.sleep(100);
      }
      return kafka;
    } catch (Exception | Error e) {
      kafka.close(); // no broker process outlives a failed start
      throw e;
    }
  }

  /** @return {@code host:port} of the proxy, the only address clients know */
  public String bootstrapServers() {
    return "127.0.0.1:" + proxy.port();
  }

  public TcpProxy proxy() {
    return proxy;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    proxy.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static Process run(Path directory, Path log, List<String> mainAndArgs, String classpath) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms256m", "-Xmx256m", "-cp", classpath));
    command.add("-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties"));
    command.addAll(mainAndArgs);
    return new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  private static Path home() {
    String configured = System.getProperty("herald.kafka.home", System.getenv("HERALD_KAFKA_HOME"));
    if (configured != null && !configured.isBlank()) {
      return requireLibs(Path.of(configured));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("var/kafka/libs"))) {
        return dir.resolve("var/kafka");
      }
    }
    throw new AssertionError("no Kafka distribution for the test's own broker: run scripts/kafka.sh start once "
        + "(it installs var/kafka), or point HERALD_KAFKA_HOME or -Dherald.kafka.home at one");
  }

  private static Path requireLibs(Path home) {
    if (!Files.isDirectory(home.resolve("libs"))) {
      throw new AssertionError("HERALD_KAFKA_HOME / herald.kafka.home = " + home + " has no libs directory");
    }
    return home;
  }

  // a Kafka cluster id: 16 random bytes, URL-safe base64 without padding; like Kafka's own Uuid.randomUuid() never
  // one starting with '-', which the storage tool's argument parser would read as an option (1 run in 64)
  private static String clusterId() {
    while (true) {
      UUID uuid = UUID.randomUUID();
      ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
