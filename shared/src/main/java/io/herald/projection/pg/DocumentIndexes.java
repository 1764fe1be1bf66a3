package io.herald.projection.pg;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The definitions of the indexes a collection asks for: each covers that collection's documents alone. */
final class DocumentIndexes {

  private DocumentIndexes() {
  }

  /** @throws IllegalArgumentException naming the collection when its name cannot be spelled into an index */
  static void checkCollection(String collection) {
    if (collection == null || !FindStatement.LITERAL_COLLECTION.matcher(collection).matches()) {
      throw new IllegalArgumentException("an index needs a collection name of 1 to 40 letters, digits, '_', '.' and"
          + " '-', was " + (collection == null ? "null" : "'" + collection + "'"));
    }
  }

  /** @throws IllegalArgumentException naming the field when its name cannot be spelled into an index */
  static void checkField(String field) {
    if (field == null || !FindStatement.LITERAL_FIELD.matcher(field).matches()) {
      throw new IllegalArgumentException("a field index needs a field name of 1 to 64 letters, digits and '_', was "
          + (field == null ? "null" : "'" + field + "'"));
    }
  }

  /** A GIN index ({@code jsonb_path_ops}) over whole documents: any field, any combination, at a cost per path. */
  static String content(String collection) {
    checkCollection(collection);
    return "CREATE INDEX IF NOT EXISTS \"documents_content_" + collection + "\" ON documents"
        + " USING gin (doc jsonb_path_ops) WITH (fastupdate = off) WHERE collection = '" + collection + "'";
  }

  /** A b-tree over one top-level field's value, as {@link FindStatement} compares it. */
  static String field(String collection, String field) {
    checkCollection(collection);
    checkField(field);
    return "CREATE INDEX IF NOT EXISTS " + fieldIndexName(collection, field) + " ON documents ((doc -> '" + field + "'))"
        + " WHERE collection = '" + collection + "'";
  }

  /** {@code documents_field_} and a digest of both names: the two names together can be longer than an identifier. */
  static String fieldIndexName(String collection, String field) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((collection + '\u0000' + field).getBytes(StandardCharsets.UTF_8));
      return "documents_field_" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
