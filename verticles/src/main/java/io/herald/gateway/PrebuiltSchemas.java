package io.herald.gateway;

import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The contract's schema repository with a validator built once for every request schema: each parameter's and each
 * request body's. vertx-openapi asks the repository for a validator on every request it checks, and building one
 * copies and dereferences all of the contract's schemas; handing out the prebuilt one leaves only the check itself.
 * Schemas are matched by identity, as the contract hands out the same object each time; any other schema gets a
 * validator built as before.
 */
final class PrebuiltSchemas implements SchemaRepository {

  private final SchemaRepository schemas;
  private final Map<JsonSchema, Validator> prebuilt;

  PrebuiltSchemas(OpenAPIContract contract) {
    this.schemas = contract.getSchemaRepository();
    Map<JsonSchema, Validator> built = new IdentityHashMap<>();
    for (Operation operation : contract.operations()) {
      for (Parameter parameter : operation.getParameters()) {
        built.computeIfAbsent(parameter.getSchema(), schemas::validator);
      }
      if (operation.getRequestBody() != null) {
        for (MediaType type : operation.getRequestBody().getContent().values()) {
          if (type.getSchema() != null) {
            built.computeIfAbsent(type.getSchema(), schemas::validator);
          }
        }
      }
    }
    this.prebuilt = Collections.unmodifiableMap(built);
  }

  /** @return how many request schemas have a prebuilt validator */
  int size() {
    return prebuilt.size();
  }

  @Override
  public Validator validator(JsonSchema schema) {
    Validator validator = prebuilt.get(schema);
    return validator != null ? validator : schemas.validator(schema);
  }

  @Override
  public Validator validator(String ref) {
    return schemas.validator(ref);
  }

  @Override
  public Validator validator(String ref, JsonSchemaOptions options) {
    return schemas.validator(ref, options);
  }

  @Override
  public Validator validator(JsonSchema schema, JsonSchemaOptions options, boolean dereference) {
    return schemas.validator(schema, options, dereference);
  }

  @Override
  public SchemaRepository dereference(JsonSchema schema) throws SchemaException {
    schemas.dereference(schema);
    return this;
  }

  @Override
  public SchemaRepository dereference(String uri, JsonSchema schema) throws SchemaException {
    schemas.dereference(uri, schema);
    return this;
  }

  @Override
  public SchemaRepository preloadMetaSchema(FileSystem fs) {
    schemas.preloadMetaSchema(fs);
    return this;
  }

  @Override
  public SchemaRepository preloadMetaSchema(FileSystem fs, Draft draft) {
    schemas.preloadMetaSchema(fs, draft);
    return this;
  }

  @Override
  public JsonObject resolve(JsonObject schema) {
    return schemas.resolve(schema);
  }

  @Override
  public JsonSchema find(String pointer) {
    return schemas.find(pointer);
  }
}
