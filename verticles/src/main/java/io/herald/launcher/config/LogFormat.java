package io.herald.launcher.config;

/** Console log layout. Spelled in lower case in config files. */
public enum LogFormat {
  TEXT, JSON;

  /** @return the spelling used in config files */
  public String configName() {
    return ConfigValues.configName(this);
  }
}
