package io.herald.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PostgreSQL store options")
class PgStoreOptionsTest {

  @Test
  @DisplayName("their text form, which ends up in logs and errors, hides the password but says that there is one")
  void toStringHidesThePassword() {
    PgStoreOptions options = PgStoreOptions.fromJson(new JsonObject().put("password", "s3cr3t-Pa55").put("user", "shop"));

    assertThat(options.toString()).doesNotContain("s3cr3t-Pa55").contains("\"password\":\"***\"").contains("shop");
    assertThat(options.password()).isEqualTo("s3cr3t-Pa55");
    assertThat(PgStoreOptions.fromJson(new JsonObject()).toString()).contains("\"password\":\"\"");
  }
}
