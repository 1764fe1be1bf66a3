package io.herald.launcher.config;

/**
 * Logging ({@code log.*}).
 *
 * @param format console layout
 */
public record LogConfig(LogFormat format) {

  static LogConfig read(ConfigValues values) {
    return new LogConfig(values.enumValue("log.format", LogFormat.class, LogFormat.TEXT));
  }
}
