package io.herald.launcher.config;

import io.herald.gateway.auth.AuthOptions;
import java.util.List;

/** The bearer-token settings ({@code auth.*}), checked key by key. */
final class AuthConfig {

  private AuthConfig() {
  }

  static AuthOptions read(ConfigValues values) {
    AuthOptions defaults = AuthOptions.defaults();
    String secret = values.string("auth.secret", "");
    if (!secret.isEmpty() && secret.length() < AuthOptions.MIN_SECRET_LENGTH) {
      // the value itself is a secret: the message names the key and the rule only
      throw new ConfigException("config key 'auth.secret' must be at least " + AuthOptions.MIN_SECRET_LENGTH
          + " characters long (an HMAC-SHA256 key), or empty");
    }
    try {
      return new AuthOptions(
          values.bool("auth.enabled", defaults.enabled()),
          secret,
          values.list("auth.publicKeys", List.of()),
          values.nonBlankString("auth.publicKeyAlgorithm", defaults.publicKeyAlgorithm()),
          values.string("auth.jwksFile", ""),
          values.nonBlankString("auth.issuer", defaults.issuer()),
          values.nonBlankString("auth.audience", defaults.audience()),
          values.nonBlankString("auth.realm", defaults.realm()),
          values.longValue("auth.developmentTokenTtlSeconds", defaults.developmentTokenTtlSeconds(), 60, 365L * 86_400));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid auth settings: " + e.getMessage());
    }
  }
}
