package io.herald.api;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The API flows on the embedded profile: in-memory store, read models and idempotency keys. */
@DisplayName("The API on an embedded node")
class EmbeddedApiIT extends ApiFlowsContract {

  @Override
  protected List<String> profiles() {
    return List.of();
  }

  @Override
  protected Map<String, String> settings() {
    Map<String, String> settings = new java.util.HashMap<>(ApiNode.WITHOUT_SAGA);
    settings.put("store.type", "memory");
    return settings;
  }
}
