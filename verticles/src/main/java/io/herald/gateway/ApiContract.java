package io.herald.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The HTTP API's OpenAPI 3.1 contract ({@value #PATH}, in the jar and in the repository), loaded for request
 * validation. The file documents error responses as {@code application/problem+json}; vertx-openapi 5.0 accepts
 * only a fixed list of media types, so those response entries are read as {@code application/json} here. Requests
 * never carry that type, so request validation is unaffected.
 */
public final class ApiContract {

  public static final String PATH = "openapi/herald-api.yaml";
  private static final String PROBLEM_JSON = "application/problem+json";

  private ApiContract() {
  }

  /** @return the parsed and checked contract; fails when the file is missing or not a valid OpenAPI document */
  public static Future<OpenAPIContract> load(Vertx vertx) {
    return vertx.fileSystem().readFile(PATH)
        .map(bytes -> new JsonObject(parseYaml(bytes.toString())))
        .map(ApiContract::problemJsonAsJson)
        .compose(json -> OpenAPIContract.from(vertx, json));
  }

  private static Map<String, Object> parseYaml(String text) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
  }

  private static JsonObject problemJsonAsJson(JsonObject contract) {
    JsonObject responses = contract.getJsonObject("components", new JsonObject()).getJsonObject("responses", new JsonObject());
    for (String name : responses.fieldNames()) {
      JsonObject content = responses.getJsonObject(name).getJsonObject("content");
      if (content != null && content.containsKey(PROBLEM_JSON)) {
        content.put("application/json", content.remove(PROBLEM_JSON));
      }
    }
    return contract;
  }
}
