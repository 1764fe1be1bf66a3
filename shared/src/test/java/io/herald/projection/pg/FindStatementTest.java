package io.herald.projection.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.projection.document.DocumentQuery;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a find spells into its statement, and what it binds. */
@DisplayName("Find statements")
class FindStatementTest {

  private static List<Object> args(FindStatement find) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < find.args().size(); i++) {
      values.add(find.args().getValue(i));
    }
    return values;
  }

  @Test
  @DisplayName("plain names are spelled in; the values, the position and the limit are bound")
  void plainNames() {
    FindStatement find = FindStatement.of("orders", DocumentQuery.all().where("userId", "u'1").where("n", 2).after(5).limit(7));

    assertThat(find.sql()).isEqualTo("SELECT doc FROM documents WHERE collection = 'orders' AND seq > $1"
        + " AND doc -> 'userId' = $2::jsonb AND doc -> 'n' = $3::jsonb AND doc @> $4::jsonb ORDER BY seq, id LIMIT $5");
    assertThat(args(find)).hasSize(5).startsWith(5L, "u'1", 2).endsWith(7);
  }

  @Test
  @DisplayName("a collection or field name with anything but the plain characters is bound, never spelled in")
  void hostileNamesAreBound() {
    String collection = "x' OR '1'='1";
    FindStatement find = FindStatement.of(collection, DocumentQuery.all().where("a'b", "v").where("ok", true));

    assertThat(find.sql()).isEqualTo("SELECT doc FROM documents WHERE collection = $1 AND seq > $2"
        + " AND doc -> 'ok' = $3::jsonb AND doc @> $4::jsonb ORDER BY seq, id LIMIT $5");
    assertThat(find.sql()).doesNotContain("a'b", "'1'='1");
    assertThat(args(find).get(0)).isEqualTo(collection);
    assertThat(FindStatement.of("x".repeat(41), DocumentQuery.all()).sql()).startsWith(
        "SELECT doc FROM documents WHERE collection = $1 ");
  }

  @Test
  @DisplayName("with nothing to match there is no containment test and no field test")
  void nothingToMatch() {
    assertThat(FindStatement.of("audit", DocumentQuery.all()).sql())
        .isEqualTo("SELECT doc FROM documents WHERE collection = 'audit' AND seq > $1 ORDER BY seq, id LIMIT $2");
  }
}
