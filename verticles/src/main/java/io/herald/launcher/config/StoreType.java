package io.herald.launcher.config;

/** Where events are stored. Spelled in lower case in config files. */
public enum StoreType {
  MEMORY, POSTGRES;

  /** @return the spelling used in config files */
  public String configName() {
    return ConfigValues.configName(this);
  }
}
