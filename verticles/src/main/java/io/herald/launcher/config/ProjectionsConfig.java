package io.herald.launcher.config;

import io.herald.projection.ProjectionOptions;

/** Every read model's projection ({@code projections.*}). */
final class ProjectionsConfig {

  private ProjectionsConfig() {
  }

  static ProjectionOptions read(ConfigValues values) {
    return new ProjectionOptions(
        values.integer("projections.checkpointEvery", ProjectionOptions.DEFAULT_CHECKPOINT_EVERY, 1, 1_000_000),
        values.longValue("projections.checkpointIntervalMs", ProjectionOptions.DEFAULT_CHECKPOINT_INTERVAL_MS, 1, 3_600_000),
        values.integer("projections.pageSize", ProjectionOptions.DEFAULT_PAGE_SIZE, 1, 100_000));
  }
}
