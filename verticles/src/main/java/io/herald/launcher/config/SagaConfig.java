package io.herald.launcher.config;

/**
 * Sagas ({@code saga.*}).
 *
 * @param mode orchestrated by a saga verticle, or choreographed through events
 */
public record SagaConfig(SagaMode mode) {

  static SagaConfig read(ConfigValues values) {
    return new SagaConfig(values.enumValue("saga.mode", SagaMode.class, SagaMode.ORCHESTRATION));
  }
}
