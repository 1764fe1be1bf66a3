package io.herald.service.config;

import java.util.Locale;

/** How sagas are driven: by an orchestrator verticle, or by services reacting to each other's events. Spelled in lower case in config files. */
public enum SagaMode {
  ORCHESTRATION, CHOREOGRAPHY;

  /** @return the spelling used in config files */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
