package io.herald.launcher.config;

/**
 * The notification service ({@code notification.*}).
 *
 * @param from the sender address of the emails it sends
 */
public record NotificationConfig(String from) {

  static NotificationConfig read(ConfigValues values) {
    return new NotificationConfig(values.nonBlankString("notification.from", "noreply@herald.local"));
  }
}
