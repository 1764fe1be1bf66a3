package io.herald.broker.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The lease that makes one member of a consumer group the active one: a key (the group name) in the lease bucket,
 * created only when absent and renewed by a compare-and-set on its revision. The bucket's max age is the lease's
 * time to live, so the key of a member that vanished expires and a standby member can create it. JetStream hands
 * a durable's messages to whoever pulls, so a single puller is what keeps each stream in order.
 * Every method blocks on a JetStream round trip: call them on a worker thread only.
 */
final class GroupLease {

  private final KeyValue bucket;
  private final String key;
  private final byte[] holder;
  private volatile long revision;
  private volatile boolean held;

  GroupLease(KeyValue bucket, String group, String memberId) {
    this.bucket = bucket;
    this.key = group;
    this.holder = memberId.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @return true when this member now holds the lease, false when another member does
   * @throws IOException when the server could not be reached
   */
  boolean tryAcquire() throws IOException {
    try {
      revision = bucket.create(key, holder);
      held = true;
      return true;
    } catch (JetStreamApiException e) {
      return false; // wrong last sequence: the key exists, another member holds the lease
    }
  }

  /**
   * @return true when the lease was extended, false when it was lost (expired and taken, or deleted)
   * @throws IOException when the server could not be reached; the lease may still be ours
   */
  boolean renew() throws IOException {
    try {
      revision = bucket.update(key, holder, revision);
      return true;
    } catch (JetStreamApiException e) {
      held = false;
      return false;
    }
  }

  /** Gives the lease up, when held, so a standby member takes over at once instead of after it expires. */
  void release() throws IOException {
    if (!held) {
      return;
    }
    held = false;
    try {
      bucket.delete(key, revision);
    } catch (JetStreamApiException e) {
      // already lost or taken over: nothing to give up
    }
  }
}
