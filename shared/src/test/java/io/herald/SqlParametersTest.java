package io.herald;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.SqlStatements;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SQL is only built from text fixed at compile time; every value reaches PostgreSQL as a bound parameter. Read from
 * the sources with the JDK's parser ({@link SqlStatements}).
 */
@DisplayName("SQL in the library")
class SqlParametersTest {

  /** What may be spliced into SQL besides constants, and why it cannot carry a request's data. */
  static final Map<String, String> TRUSTED = Map.of(
      "schema", "the store's schema: PgStoreOptions admits only a lower-case identifier of at most 41 characters",
      "sql", "SchemaMigrator runs a migration file read from the jar's own resources",
      "find.sql()", "FindStatement spells in only a collection name of [A-Za-z0-9_.-]{1,40} and field names of"
          + " [A-Za-z0-9_]{1,64}, checked as it builds the text (FindStatementTest); every value is bound",
      "indexDefinition", "DocumentIndexes spells in only names it checked the same way, and refuses any other");

  @Test
  @DisplayName("every query and prepared query is built from literals and constants; values go as bound parameters")
  void onlyBoundParameters() {
    Path sources = Path.of("src/main/java");
    assertThat(SqlStatements.calls(sources)).as("SQL calls found in the library").isGreaterThan(30);
    assertThat(SqlStatements.untrustedPieces(sources, TRUSTED)).isEmpty();
  }

  @Test
  @DisplayName("the check finds a value concatenated into SQL, directly, through a variable or a constant built from one")
  void findsConcatenatedValues() {
    String source = """
        package x;
        class Orders {
          static final String BY_ID = "SELECT * FROM orders WHERE id = $1";
          static final String BAD = "SELECT * FROM orders WHERE owner = '" + System.getenv("USER") + "'";
          void fine(io.vertx.sqlclient.Pool pool, String id) {
            pool.preparedQuery(BY_ID).execute(io.vertx.sqlclient.Tuple.of(id));
            pool.query("SELECT count(*) FROM " + schema + ".orders").execute();
          }
          void direct(io.vertx.sqlclient.Pool pool, String id) {
            pool.query("SELECT * FROM orders WHERE id = '" + id + "'").execute();
          }
          void variable(io.vertx.sqlclient.Pool pool, String id) {
            String text = String.format("DELETE FROM orders WHERE id = '%s'", id);
            pool.query(text).execute();
          }
          void viaConstant(io.vertx.sqlclient.Pool pool) {
            pool.query(BAD).execute();
          }
        }
        """;
    assertThat(SqlStatements.untrustedPieces(Map.of("x/Orders.java", source), TRUSTED))
        .containsExactly("x/Orders.java:10: id", "x/Orders.java:14: text",
            "x/Orders.java:17: System.getenv(\"USER\")");
  }
}
