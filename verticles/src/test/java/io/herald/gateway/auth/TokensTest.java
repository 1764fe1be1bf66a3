package io.herald.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The node's keys: a development key, an HMAC secret, PEM public keys and a JWKS file, with real RSA signatures. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
@DisplayName("Token keys")
class TokensTest {

  @TempDir
  Path dir;

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** A token signed elsewhere, with the private key only that issuer holds. */
  private static String signedElsewhere(Vertx vertx, KeyPair keys, String scope) {
    JWTAuth issuer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256")
        .setBuffer(pem("PRIVATE KEY", keys.getPrivate().getEncoded()))));
    return issuer.generateToken(new JsonObject().put("scope", scope), new JWTOptions().setAlgorithm("RS256")
        .setIssuer("herald").setAudience(List.of("herald-api")).setExpiresInSeconds(60));
  }

  private static String base64Url(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Test
  @DisplayName("with no key configured a development key is made; its token has every scope and verifies")
  void developmentKey(Vertx vertx) {
    Tokens tokens = Tokens.load(vertx, AuthOptions.defaults()).await();

    assertThat(tokens.development()).isTrue();
    assertThat(tokens.canSign()).isTrue();
    assertThat(tokens.verify(tokens.developmentToken()).await()).isEqualTo(EnumSet.allOf(Scope.class));
    Tokens another = Tokens.load(vertx, AuthOptions.defaults()).await();
    assertThat(catchThrowable(() -> another.verify(tokens.developmentToken()).await()))
        .as("each process makes its own key").isInstanceOf(InvalidTokenException.class);
  }

  @Test
  @DisplayName("a token that verified is refused as expired once its exp has passed, however often it verified before")
  void verifiedTokenStillExpires(Vertx vertx) throws Exception {
    Tokens tokens = Tokens.load(vertx, AuthOptions.defaults()).await();
    String token = tokens.mint(Set.of(Scope.READ), 1, "brief");
    long exp = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]))).getLong("exp");

    for (int i = 0; i < 3; i++) {
      assertThat(tokens.verify(token).await()).isEqualTo(Set.of(Scope.READ));
    }
    assertThat(tokens.verifiedKept()).as("remembered once it verified").isEqualTo(1);
    while (System.currentTimeMillis() < exp * 1000) {
      Thread.sleep(20);
    }
    assertThat(catchThrowable(() -> tokens.verify(token).await()))
        .isInstanceOf(InvalidTokenException.class).hasMessage("the token has expired");
    assertThat(tokens.verifiedKept()).as("forgotten once expired").isZero();
  }

  @Test
  @DisplayName("PEM public keys check tokens signed with the matching private key, and cannot mint")
  void publicKeys(Vertx vertx) throws Exception {
    KeyPair keys = rsa();
    Path pem = Files.writeString(dir.resolve("issuer.pem"), pem("PUBLIC KEY", keys.getPublic().getEncoded()));
    AuthOptions options = new AuthOptions(true, "", List.of(pem.toString()), "RS256", "", "herald", "herald-api", "herald", 60);

    Tokens tokens = Tokens.load(vertx, options).await();

    assertThat(tokens.development()).isFalse();
    assertThat(tokens.canSign()).isFalse();
    assertThat(tokens.verify(signedElsewhere(vertx, keys, "read write")).await()).isEqualTo(Set.of(Scope.READ, Scope.WRITE));
    assertThat(catchThrowable(() -> tokens.verify(signedElsewhere(vertx, rsa(), "read")).await()))
        .isInstanceOf(InvalidTokenException.class).hasMessage("the token's signature does not verify with this node's keys");
    assertThatThrownBy(() -> tokens.mint(Set.of(Scope.READ), 60, "x")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("minting one needs auth.secret");
  }

  @Test
  @DisplayName("a JWKS file checks tokens signed with one of its keys")
  void jwksFile(Vertx vertx) throws Exception {
    KeyPair keys = rsa();
    RSAPublicKey key = (RSAPublicKey) keys.getPublic();
    JsonObject jwk = new JsonObject().put("kty", "RSA").put("alg", "RS256").put("use", "sig")
        .put("n", base64Url(key.getModulus())).put("e", base64Url(key.getPublicExponent()));
    Path jwks = Files.writeString(dir.resolve("jwks.json"), new JsonObject().put("keys", new JsonArray().add(jwk)).encode());
    AuthOptions options = new AuthOptions(true, "", List.of(), "RS256", jwks.toString(), "herald", "herald-api", "herald", 60);

    Tokens tokens = Tokens.load(vertx, options).await();

    assertThat(tokens.verify(signedElsewhere(vertx, keys, "admin")).await()).isEqualTo(Set.of(Scope.ADMIN));
  }

  @Test
  @DisplayName("an unreadable key file fails the start naming the key and the file")
  void missingFile(Vertx vertx) {
    AuthOptions options = new AuthOptions(true, "", List.of("/no/such/key.pem"), "RS256", "", "herald", "herald-api", "herald", 60);

    assertThat(catchThrowable(() -> Tokens.load(vertx, options).await()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("config key 'auth.publicKeys': cannot read /no/such/key.pem");
  }
}
