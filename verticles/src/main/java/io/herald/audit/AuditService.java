package io.herald.audit;

import io.herald.command.CommandEndpoint;
import io.herald.contract.ServiceAddresses;
import io.herald.event.EventEnvelope;
import io.herald.event.RecordedEvent;
import io.herald.service.ReadModel;
import io.herald.service.ServiceContext;
import io.herald.projection.document.DocumentQuery;
import io.herald.projection.document.DocumentWriter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The audit service: one entry per stored event, in global order ({@code audit} read model). Action on
 * {@value ServiceAddresses#AUDIT}: {@code list {from, limit}} answers {@code {entries, next}}, {@code next} being
 * the position to ask from for the entries after these.
 */
public final class AuditService extends VerticleBase {

  static final String AUDIT = "audit";
  static final int DEFAULT_LIMIT = 100;

  private final ServiceContext ctx;
  private ReadModel log;

  public AuditService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  @Override
  public Future<?> start() {
    return ReadModel.start(ctx, AUDIT, Set.of(AUDIT), AuditService::record)
        .compose(model -> {
          log = model;
          return CommandEndpoint.on(vertx, ServiceAddresses.AUDIT).action("list", this::list).listen();
        });
  }

  @Override
  public Future<?> stop() {
    return ReadModel.stopAll(log);
  }

  private Future<JsonObject> list(JsonObject query) {
    long from = Math.max(1, query.getLong("from", 1L));
    int limit = query.getInteger("limit", DEFAULT_LIMIT);
    return log.awaitPosition(query)
        .compose(v -> log.find(AUDIT, DocumentQuery.all().after(from - 1).limit(limit)))
        .map(entries -> new JsonObject()
            .put("entries", new JsonArray(entries))
            .put("next", entries.isEmpty() ? from : next(entries)));
  }

  private static long next(List<JsonObject> entries) {
    return entries.get(entries.size() - 1).getLong("position") + 1;
  }

  static Future<Void> record(DocumentWriter writer, RecordedEvent event) {
    EventEnvelope e = event.envelope();
    return writer.put(AUDIT, Long.toString(event.position()), new JsonObject()
        .put("position", event.position())
        .put("eventId", e.id().toString())
        .put("type", e.type())
        .put("subject", e.subject())
        .put("source", e.source())
        .put("time", e.time().toString())
        .put("streamId", event.streamId())
        .put("version", event.version())
        .put("correlationId", e.correlationid())
        .put("causationId", e.causationid()));
  }
}
