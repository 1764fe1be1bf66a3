package io.herald.gateway.auth;

import java.util.List;
import java.util.Objects;

/**
 * The {@code auth.*} settings: which keys check bearer tokens and what a token must say.
 *
 * @param enabled                    false serves every call without a token (local experiments only)
 * @param secret                     HMAC-SHA256 key that signs and checks tokens; empty when not used
 * @param publicKeys                 PEM files of public keys that check tokens signed elsewhere
 * @param publicKeyAlgorithm         the JWS algorithm of those keys ({@code RS256}, {@code ES256}...)
 * @param jwksFile                   a JWKS file of keys that check tokens; empty when not used
 * @param issuer                     the {@code iss} every token must carry
 * @param audience                   a value the token's {@code aud} must contain
 * @param realm                      the realm named in {@code WWW-Authenticate}
 * @param developmentTokenTtlSeconds how long the token printed with a development key is valid, in seconds
 */
public record AuthOptions(boolean enabled, String secret, List<String> publicKeys, String publicKeyAlgorithm, String jwksFile,
                          String issuer, String audience, String realm, long developmentTokenTtlSeconds) {

  /** The shortest HMAC secret accepted: 256 bits for HS256. */
  public static final int MIN_SECRET_LENGTH = 32;

  public AuthOptions {
    secret = secret == null ? "" : secret;
    publicKeys = List.copyOf(publicKeys == null ? List.of() : publicKeys);
    jwksFile = jwksFile == null ? "" : jwksFile.trim();
    Objects.requireNonNull(publicKeyAlgorithm, "publicKeyAlgorithm");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(realm, "realm");
    if (!secret.isEmpty() && secret.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("auth.secret must be at least " + MIN_SECRET_LENGTH + " characters long");
    }
    if (developmentTokenTtlSeconds < 1) {
      throw new IllegalArgumentException("auth.developmentTokenTtlSeconds must be at least 1");
    }
  }

  /** Defaults of {@code config/default.yaml}: on, no key configured (a development key is made at start). */
  public static AuthOptions defaults() {
    return new AuthOptions(true, "", List.of(), "RS256", "", "herald", "herald-api", "herald", 86_400);
  }

  /** The same settings with an HMAC secret. */
  public AuthOptions withSecret(String newSecret) {
    return new AuthOptions(enabled, newSecret, publicKeys, publicKeyAlgorithm, jwksFile, issuer, audience, realm,
        developmentTokenTtlSeconds);
  }

  /** @return whether any key is configured; without one, a node makes a development key at start */
  public boolean hasKey() {
    return !secret.isEmpty() || !publicKeys.isEmpty() || !jwksFile.isEmpty();
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    return "AuthOptions[enabled=" + enabled + ", secret=" + (secret.isEmpty() ? "none" : "(set)") + ", publicKeys="
        + publicKeys + ", publicKeyAlgorithm=" + publicKeyAlgorithm + ", jwksFile=" + jwksFile + ", issuer=" + issuer
        + ", audience=" + audience + ", realm=" + realm + ", developmentTokenTtlSeconds=" + developmentTokenTtlSeconds + "]";
  }
}
