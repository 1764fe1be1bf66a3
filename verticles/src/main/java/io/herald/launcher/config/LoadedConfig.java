package io.herald.launcher.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The merged configuration and where it came from.
 *
 * @param json       all keys of {@code config/default.yaml}, overridden layer by layer (nested form)
 * @param profiles   profiles applied after {@code default}, in order
 * @param configFile the {@code --config} file, if one was given
 * @param overrides  keys set by environment variables or system properties, as {@code key (VARIABLE)}
 */
public record LoadedConfig(JsonObject json, List<String> profiles, Optional<String> configFile, List<String> overrides) {

  public LoadedConfig {
    profiles = List.copyOf(profiles);
    overrides = List.copyOf(overrides);
  }

  /** @throws ConfigException when a value has the wrong type or is not allowed */
  public HeraldConfig typed() {
    return HeraldConfig.from(json);
  }

  /** @return {@code default} followed by the applied profiles */
  public List<String> layers() {
    return Stream.concat(Stream.of(ConfigLoader.DEFAULT_PROFILE), profiles.stream()).toList();
  }
}
