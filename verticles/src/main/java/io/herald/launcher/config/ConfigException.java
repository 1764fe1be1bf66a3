package io.herald.launcher.config;

/**
 * The configuration cannot be used. The message is one line that names the culprit (the key, the profile
 * or the file), so the launcher prints it as it is, without a stack trace.
 */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
