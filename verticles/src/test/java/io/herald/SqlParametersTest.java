package io.herald;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.SqlStatements;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The services reach PostgreSQL only through the library's stores; should one ever send SQL itself, it is built
 * from text fixed at compile time, with values as bound parameters ({@link SqlStatements}).
 */
@DisplayName("SQL in the services")
class SqlParametersTest {

  @Test
  @DisplayName("no query or prepared query splices in anything but literals and constants")
  void onlyBoundParameters() {
    assertThat(SqlStatements.untrustedPieces(Path.of("src/main/java"), Map.of())).isEmpty();
  }
}
