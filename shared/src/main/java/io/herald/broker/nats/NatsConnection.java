package io.herald.broker.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;

/** What a started broker shares with its publisher and group members: one connection and its JetStream views. */
record NatsConnection(Connection connection, JetStream jetStream, JetStreamManagement management, KeyValue leases) {

  boolean connected() {
    return connection.getStatus() == Connection.Status.CONNECTED;
  }
}
