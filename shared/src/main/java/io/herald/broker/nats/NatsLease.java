package io.herald.broker.nats;

import io.herald.broker.support.ActiveMemberLease;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * A group's lease in JetStream: a key (the group name) in the lease bucket, created only when absent and renewed by a
 * compare-and-set on its revision. The bucket's max age is the lease's time to live, so the key of a member that
 * vanished expires and a standby member can create it. JetStream hands a durable's messages to whoever pulls, so a
 * single puller is what keeps each stream in order. The key-value calls block: they run on the member's worker
 * queue, one at a time and in order.
 */
final class NatsLease implements ActiveMemberLease {

  private final Context context;
  private final KeyValue bucket;
  private final String key;
  private final byte[] holder;
  private final BooleanSupplier mayTake;
  private long revision;
  private boolean held;

  /** @param mayTake false while the member still hands messages back: it takes the lease again only when done */
  NatsLease(Context context, KeyValue bucket, String group, String memberId, BooleanSupplier mayTake) {
    this.context = context;
    this.bucket = bucket;
    this.key = group;
    this.holder = memberId.getBytes(StandardCharsets.UTF_8);
    this.mayTake = mayTake;
  }

  @Override
  public Future<Boolean> hold(long timeoutMs) {
    // the connection's own request timeout bounds each call
    return context.executeBlocking(() -> {
      if (held) {
        try {
          revision = bucket.update(key, holder, revision);
          return true;
        } catch (JetStreamApiException e) {
          held = false;   // expired and taken, or deleted
          return false;
        }
      }
      if (!mayTake.getAsBoolean()) {
        return false;
      }
      try {
        revision = bucket.create(key, holder);
        held = true;
        return true;
      } catch (JetStreamApiException e) {
        return false;   // the key exists: another member holds the lease
      }
    }, true);
  }

  @Override
  public Future<Void> release() {
    return context.<Void>executeBlocking(() -> {
      if (held) {
        held = false;
        try {
          bucket.delete(key, revision);
        } catch (JetStreamApiException e) {
          // already lost or taken over: nothing to give up
        }
      }
      return null;
    }, true).recover(e -> Future.succeededFuture());   // unreachable: the key expires by itself
  }
}
