package io.herald.api;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Unknown outcomes of keyed orders on an embedded node")
class EmbeddedUnknownOutcomeIT extends UnknownOutcomeContract {

  @Override
  protected List<String> profiles() {
    return List.of();
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of();
  }
}
