package io.herald.launcher.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the layered configuration: {@code default.yaml} (the schema: every known key), then the profiles in
 * order, then an optional extra file, then environment variables, then system properties. Later layers win
 * key by key. A key that {@code default.yaml} does not list is rejected with the layer it came from.
 *
 * <p>YAML files are read with vertx-config's file store, which looks in the working directory first and then
 * on the classpath, so the same names work from a checkout and from inside {@code herald.jar}.
 *
 * <p>The environment and system properties are passed in, so tests can use their own.
 */
public final class ConfigLoader {

  public static final String DEFAULT_DIRECTORY = "config";
  public static final String DEFAULT_PROFILE = "default";
  /** Comma-separated profiles, used when no {@code --profile} is given. */
  public static final String PROFILE_VARIABLE = "HERALD_PROFILE";
  public static final String ENV_PREFIX = "HERALD_";
  public static final String SYSTEM_PROPERTY_PREFIX = "herald.";

  private static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  private final Vertx vertx;
  private final String directory;
  private final Map<String, String> env;
  private final Map<String, String> systemProperties;

  public ConfigLoader(Vertx vertx, Map<String, String> env, Map<String, String> systemProperties) {
    this(vertx, DEFAULT_DIRECTORY, env, systemProperties);
  }

  /**
   * @param directory where {@code default.yaml} and the profiles live: relative (working directory, then
   *                  classpath) or absolute (file system only)
   */
  public ConfigLoader(Vertx vertx, String directory, Map<String, String> env, Map<String, String> systemProperties) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.env = Map.copyOf(env);
    this.systemProperties = Map.copyOf(systemProperties);
  }

  /** @return a copy of this JVM's system properties */
  public static Map<String, String> systemProperties() {
    Map<String, String> copy = new TreeMap<>();
    System.getProperties().forEach((k, v) -> copy.put(String.valueOf(k), String.valueOf(v)));
    return copy;
  }

  /**
   * Loads and merges every layer.
   *
   * @param requestedProfiles profiles from the command line; when empty, {@value #PROFILE_VARIABLE} is used
   * @param configFile        an extra YAML file layered over the profiles, or {@code null}
   * @return the merged configuration; fails with a {@link ConfigException} naming the unknown profile,
   *     the unknown key and its layer, or the unreadable file
   */
  public Future<LoadedConfig> load(List<String> requestedProfiles, String configFile) {
    List<String> profiles;
    try {
      profiles = resolveProfiles(requestedProfiles);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    String defaultsPath = pathOf(DEFAULT_PROFILE);
    return requireFile(defaultsPath, "config file '" + defaultsPath + "' not found")
        .compose(v -> readYaml(defaultsPath))
        .compose(defaults -> {
          Layers layers = new Layers(flatten(defaults));
          Future<Void> chain = Future.succeededFuture();
          for (String profile : profiles) {
            chain = chain.compose(v -> readProfile(profile)).map(flat -> layers.apply(flat, "profile " + profile));
          }
          if (configFile != null) {
            chain = chain
                .compose(v -> requireFile(configFile, "config file '" + configFile + "' not found"))
                .compose(v -> readYaml(configFile))
                .map(json -> layers.apply(flatten(json), "config file " + configFile));
          }
          return chain.map(v -> {
            layers.applyEnvironment(env);
            layers.applySystemProperties(systemProperties);
            return new LoadedConfig(nest(layers.merged), profiles, Optional.ofNullable(configFile), layers.overrides);
          });
        });
  }

  /** Profiles from the command line if any, otherwise from {@value #PROFILE_VARIABLE}; duplicates and {@code default} dropped. */
  List<String> resolveProfiles(List<String> requested) {
    List<String> names = requested.isEmpty()
        ? splitList(env.getOrDefault(PROFILE_VARIABLE, ""))
        : requested.stream().flatMap(p -> splitList(p).stream()).toList();
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String name : names) {
      if (!PROFILE_NAME.matcher(name).matches()) {
        throw new ConfigException("invalid profile name '" + name + "': use letters, digits, '-' and '_'");
      }
      if (!DEFAULT_PROFILE.equals(name)) {
        unique.add(name);
      }
    }
    return List.copyOf(unique);
  }

  static List<String> splitList(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private Future<Map<String, Object>> readProfile(String profile) {
    String path = pathOf(profile);
    return vertx.fileSystem().exists(path).compose(exists -> {
      if (exists) {
        return readYaml(path).map(ConfigLoader::flatten);
      }
      return vertx.executeBlocking(this::availableProfiles, false).compose(available -> Future.failedFuture(
          new ConfigException("unknown profile '" + profile + "' (available: "
              + (available.isEmpty() ? "none" : String.join(", ", available)) + ")")));
    });
  }

  private Future<Void> requireFile(String path, String message) {
    return vertx.fileSystem().exists(path)
        .compose(exists -> exists ? Future.succeededFuture() : Future.failedFuture(new ConfigException(message)));
  }

  private Future<JsonObject> readYaml(String path) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setScanPeriod(0)
        .addStore(new ConfigStoreOptions().setType("file").setFormat("yaml")
            .setConfig(new JsonObject().put("path", path))));
    return retriever.getConfig()
        .map(json -> json == null ? new JsonObject() : json)
        .recover(err -> onlyComments(path).compose(empty -> empty
            ? Future.succeededFuture(new JsonObject())
            : Future.failedFuture(new ConfigException("cannot read " + path + ": " + oneLine(err), err))))
        .eventually(retriever::close);
  }

  /** vertx-config fails on a YAML document without any value (only comments); such a file sets nothing. */
  private Future<Boolean> onlyComments(String path) {
    return vertx.fileSystem().readFile(path)
        .map(content -> content.toString().lines()
            .map(String::trim)
            .allMatch(line -> line.isEmpty() || line.startsWith("#") || line.equals("---") || line.equals("...")))
        .otherwise(false);
  }

  private String pathOf(String profile) {
    return directory + "/" + profile + ".yaml";
  }

  /** Profile names found in the directory and, for a relative directory, on the classpath (blocking). */
  SortedSet<String> availableProfiles() {
    SortedSet<String> names = new TreeSet<>();
    Path dir = Path.of(directory);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        files.map(p -> p.getFileName().toString()).forEach(f -> addProfile(names, f));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (!dir.isAbsolute()) {
      names.addAll(classpathProfiles());
    }
    names.remove(DEFAULT_PROFILE);
    return names;
  }

  private SortedSet<String> classpathProfiles() {
    SortedSet<String> names = new TreeSet<>();
    String anchor = pathOf(DEFAULT_PROFILE);
    ClassLoader loader = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
        .orElse(ConfigLoader.class.getClassLoader());
    try {
      for (URL url : Collections.list(loader.getResources(anchor))) {
        if ("file".equals(url.getProtocol())) {
          try (Stream<Path> files = Files.list(Path.of(url.toURI()).getParent())) {
            files.map(p -> p.getFileName().toString()).forEach(f -> addProfile(names, f));
          }
        } else if ("jar".equals(url.getProtocol())) {
          JarURLConnection connection = (JarURLConnection) url.openConnection();
          connection.setUseCaches(false);
          try (JarFile jar = connection.getJarFile()) {
            String prefix = directory + "/";
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
              String entry = entries.nextElement().getName();
              if (entry.startsWith(prefix) && entry.indexOf('/', prefix.length()) < 0) {
                addProfile(names, entry.substring(prefix.length()));
              }
            }
          }
        }
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot list profiles on the classpath: " + e.getMessage(), e);
    }
    return names;
  }

  private static void addProfile(SortedSet<String> names, String fileName) {
    if (fileName.endsWith(".yaml") && fileName.length() > ".yaml".length()) {
      names.add(fileName.substring(0, fileName.length() - ".yaml".length()));
    }
  }

  /** {@code {"http":{"port":8080}}} becomes {@code http.port -> 8080}; lists and scalars are leaves. */
  static Map<String, Object> flatten(JsonObject json) {
    Map<String, Object> flat = new LinkedHashMap<>();
    flatten("", json, flat);
    return flat;
  }

  private static void flatten(String prefix, JsonObject json, Map<String, Object> into) {
    for (Map.Entry<String, Object> entry : json) {
      String key = prefix + entry.getKey();
      if (entry.getValue() instanceof JsonObject child) {
        flatten(key + ".", child, into);
      } else {
        into.put(key, entry.getValue());
      }
    }
  }

  static JsonObject nest(Map<String, Object> flat) {
    JsonObject root = new JsonObject();
    flat.forEach((key, value) -> {
      String[] parts = key.split("\\.");
      JsonObject node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        JsonObject child = node.getJsonObject(parts[i]);
        if (child == null) {
          child = new JsonObject();
          node.put(parts[i], child);
        }
        node = child;
      }
      node.put(parts[parts.length - 1], value);
    });
    return root;
  }

  static String oneLine(Throwable err) {
    String message = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    Throwable cause = err.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message = message + ": " + cause.getMessage();
    }
    return message.replaceAll("\\s+", " ").trim();
  }

  /** The flattened merge; every key must be one of the schema's. */
  private static final class Layers {
    private final Map<String, Object> merged;
    private final Map<String, String> envNames = new TreeMap<>();
    private final Map<String, String> propertyNames = new TreeMap<>();
    private final List<String> overrides = new ArrayList<>();

    Layers(Map<String, Object> schema) {
      this.merged = new LinkedHashMap<>(schema);
      for (String key : schema.keySet()) {
        envNames.put((ENV_PREFIX + key.replace('.', '_')).toUpperCase(Locale.ROOT), key);
        propertyNames.put(key.toLowerCase(Locale.ROOT), key);
      }
    }

    Void apply(Map<String, Object> layer, String origin) {
      for (String key : layer.keySet()) {
        if (!merged.containsKey(key)) {
          throw new ConfigException("unknown config key '" + key + "' (from " + origin + ")");
        }
      }
      merged.putAll(layer);
      return null;
    }

    void applyEnvironment(Map<String, String> env) {
      new TreeMap<>(env).forEach((name, value) -> {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith(ENV_PREFIX) || upper.equals(PROFILE_VARIABLE)) {
          return;
        }
        String key = envNames.get(upper);
        if (key == null) {
          String guess = upper.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
          throw new ConfigException("unknown config key '" + guess + "' (from environment variable " + name + ")");
        }
        merged.put(key, value);
        overrides.add(key + " (" + name + ")");
      });
    }

    void applySystemProperties(Map<String, String> properties) {
      new TreeMap<>(properties).forEach((name, value) -> {
        if (!name.regionMatches(true, 0, SYSTEM_PROPERTY_PREFIX, 0, SYSTEM_PROPERTY_PREFIX.length())) {
          return;
        }
        String rest = name.substring(SYSTEM_PROPERTY_PREFIX.length());
        String key = propertyNames.get(rest.toLowerCase(Locale.ROOT));
        if (key == null) {
          throw new ConfigException("unknown config key '" + rest + "' (from system property " + name + ")");
        }
        merged.put(key, value);
        overrides.add(key + " (-D" + name + ")");
      });
    }
  }
}
