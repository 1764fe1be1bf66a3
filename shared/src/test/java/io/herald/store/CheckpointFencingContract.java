package io.herald.store;

import static io.herald.testing.Futures.await;
import static io.herald.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Checkpoint epochs: what a fenced writer may and may not do, for every {@link CheckpointStore}. */
public abstract class CheckpointFencingContract {

  /** @return the store under test, shared by the tests of one class */
  protected abstract CheckpointStore checkpoints();

  private static String name() {
    return "reader-" + System.nanoTime();
  }

  @Test
  @DisplayName("a save started before a rebuild cannot move the rebuilt checkpoint")
  void resetFencesEarlierWriters() {
    String name = name();
    long before = await(checkpoints().open(name)).epoch();
    await(checkpoints().save(name, 50, before));

    long after = await(checkpoints().reset(name));

    assertThat(after).isGreaterThan(before);
    assertThat(failureOf(checkpoints().save(name, 60, before))).isInstanceOf(CheckpointFencedException.class);
    assertThat(await(checkpoints().open(name))).isEqualTo(new Checkpoint(0, after));
    await(checkpoints().save(name, 7, after));
    assertThat(await(checkpoints().load(name))).isEqualTo(7);
  }

  @Test
  @DisplayName("a claim by a newer epoch fences the older holder; an older claim is refused")
  void claimFencesOlderHolders() {
    String name = name();
    assertThat(await(checkpoints().claim(name, 1))).isZero();
    await(checkpoints().save(name, 40, 1));

    assertThat(await(checkpoints().claim(name, 2))).isEqualTo(40);

    CheckpointFencedException refused = (CheckpointFencedException) failureOf(checkpoints().save(name, 90, 1));
    assertThat(refused.epoch()).isEqualTo(1);
    assertThat(refused).hasMessageContaining("'" + name + "'");
    assertThat(failureOf(checkpoints().claim(name, 1))).isInstanceOf(CheckpointFencedException.class);
    await(checkpoints().save(name, 45, 2));
    await(checkpoints().save(name, 41, 2));
    assertThat(await(checkpoints().open(name))).isEqualTo(new Checkpoint(45, 2));
  }
}
