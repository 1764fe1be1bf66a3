package io.herald.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The keys of one node: they check every bearer token (signature, issuer, audience, expiry) and, when the node holds
 * an HMAC secret, mint tokens. With no key configured the node makes a random development secret at start, so its
 * tokens work on this process only and die with it.
 */
public final class Tokens {

  static final String HMAC_ALGORITHM = "HS256";
  /** Most verified tokens remembered until they expire. */
  private static final int VERIFIED_KEPT = 4_096;

  private final AuthOptions options;
  private final JWTAuth provider;
  private final boolean canSign;
  private final boolean development;
  private final VerifiedTokens verified = new VerifiedTokens(VERIFIED_KEPT);

  private Tokens(AuthOptions options, JWTAuth provider, boolean canSign, boolean development) {
    this.options = options;
    this.provider = provider;
    this.canSign = canSign;
    this.development = development;
  }

  /**
   * Reads the configured key files, or makes a development secret when none is configured.
   *
   * @return the keys; fails with an {@link IllegalArgumentException} naming the file that cannot be read or used
   */
  public static Future<Tokens> load(Vertx vertx, AuthOptions options) {
    if (!options.hasKey()) {
      AuthOptions generated = options.withSecret(developmentSecret());
      return Future.succeededFuture(new Tokens(generated, JWTAuth.create(vertx, authOptions(generated, List.of(), List.of())), true, true));
    }
    List<Future<Buffer>> pems = options.publicKeys().stream().map(path -> read(vertx, path, "auth.publicKeys")).toList();
    Future<List<JsonObject>> jwks = options.jwksFile().isEmpty()
        ? Future.succeededFuture(List.of())
        : read(vertx, options.jwksFile(), "auth.jwksFile").map(bytes -> jwks(options.jwksFile(), bytes));
    return Future.all(new ArrayList<Future<?>>(pems)).compose(v -> jwks).map(keys -> {
      List<String> pemTexts = pems.stream().map(f -> f.result().toString()).toList();
      try {
        JWTAuth provider = JWTAuth.create(vertx, authOptions(options, pemTexts, keys));
        return new Tokens(options, provider, !options.secret().isEmpty(), false);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("the auth keys cannot be used: " + e.getMessage(), e);
      }
    });
  }

  private static Future<Buffer> read(Vertx vertx, String path, String key) {
    return vertx.fileSystem().readFile(path)
        .recover(err -> Future.failedFuture(new IllegalArgumentException("config key '" + key + "': cannot read " + path)));
  }

  private static List<JsonObject> jwks(String path, Buffer bytes) {
    try {
      JsonArray keys = new JsonObject(bytes).getJsonArray("keys");
      if (keys == null || keys.isEmpty()) {
        throw new IllegalArgumentException("config key 'auth.jwksFile': " + path + " has no \"keys\"");
      }
      return keys.stream().map(JsonObject.class::cast).toList();
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("config key 'auth.jwksFile': " + path + " is not a JWKS document");
    }
  }

  private static JWTAuthOptions authOptions(AuthOptions options, List<String> pems, List<JsonObject> jwks) {
    JWTAuthOptions auth = new JWTAuthOptions().setJWTOptions(new JWTOptions()
        .setIssuer(options.issuer())
        .setAudience(List.of(options.audience())));
    if (!options.secret().isEmpty()) {
      auth.addPubSecKey(new PubSecKeyOptions().setAlgorithm(HMAC_ALGORITHM).setBuffer(options.secret()));
    }
    pems.forEach(pem -> auth.addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm(options.publicKeyAlgorithm().toUpperCase(Locale.ROOT)).setBuffer(pem)));
    jwks.forEach(auth::addJwk);
    return auth;
  }

  private static String developmentSecret() {
    byte[] bytes = new byte[48];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** @return whether the key was made at start because none is configured */
  public boolean development() {
    return development;
  }

  /** @return whether this node holds a key that signs tokens (an HMAC secret, configured or made at start) */
  public boolean canSign() {
    return canSign;
  }

  public AuthOptions options() {
    return options;
  }

  /**
   * A signed token with the configured issuer and audience.
   *
   * @param subject    who the token is for ({@code sub})
   * @param ttlSeconds how long it is valid
   * @throws IllegalStateException when this node only holds keys that check tokens
   */
  public String mint(Set<Scope> scopes, long ttlSeconds, String subject) {
    if (!canSign) {
      throw new IllegalStateException("the configured keys (auth.publicKeys, auth.jwksFile) only check tokens; "
          + "minting one needs auth.secret");
    }
    if (ttlSeconds < 1 || ttlSeconds > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a token's lifetime must be between 1 s and " + Integer.MAX_VALUE + " s");
    }
    JsonObject claims = new JsonObject().put("scope", Scope.claim(scopes));
    return provider.generateToken(claims, new JWTOptions()
        .setAlgorithm(HMAC_ALGORITHM)
        .setExpiresInSeconds((int) ttlSeconds)
        .setIssuer(options.issuer())
        .setAudience(List.of(options.audience()))
        .setSubject(subject));
  }

  /** @return a token with every scope, valid for {@code auth.developmentTokenTtlSeconds} */
  public String developmentToken() {
    return mint(EnumSet.allOf(Scope.class), options.developmentTokenTtlSeconds(), "development");
  }

  /**
   * Checks the signature, issuer, audience and expiry.
   *
   * @return the scopes the token grants; fails with an {@link InvalidTokenException} naming what is wrong
   */
  public Future<Set<Scope>> verify(String token) {
    Set<Scope> known = verified.scopes(token, System.currentTimeMillis());
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return provider.authenticate(new TokenCredentials(token))
        .map(user -> {
          Set<Scope> scopes = Scope.fromClaim(user.principal().getValue("scope") instanceof String s ? s : null);
          // the provider keeps the claim in the user's attributes; a token without an expiry is checked every time
          if (user.attributes().getValue("exp") instanceof Number exp) {
            verified.put(token, scopes, exp.longValue() * 1000);
          }
          return scopes;
        })
        .recover(err -> Future.failedFuture(new InvalidTokenException(reason(err))));
  }

  /** How many verified tokens are remembered; for tests. */
  int verifiedKept() {
    return verified.size();
  }

  /** The provider's message, in words a client can act on, without the token. */
  private String reason(Throwable err) {
    String message = String.valueOf(err.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("expired")) {
      return "the token has expired";
    }
    if (message.contains("audience")) {
      return "the token's audience does not include '" + options.audience() + "'";
    }
    if (message.contains("issuer")) {
      return "the token's issuer is not '" + options.issuer() + "'";
    }
    if (message.contains("signature") || message.contains("algorithm") || message.contains("key")) {
      return "the token's signature does not verify with this node's keys";
    }
    if (message.contains("before")) {
      return "the token is not valid yet";
    }
    return "the token is not a well-formed JWT";
  }
}
