package io.herald.user;

import io.herald.command.CommandEndpoint;
import io.herald.command.CommandFailedException;
import io.herald.command.Fields;
import io.herald.contract.ServiceAddresses;
import io.herald.event.EventFactory;
import io.herald.event.EventIds;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.UserRegistered;
import io.herald.service.ReadModel;
import io.herald.service.ServiceContext;
import io.herald.projection.document.DocumentWriter;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The user service: registers users ({@code user.registered}) and answers reads from its {@code users} read model.
 * Actions on {@value ServiceAddresses#USER}: {@code register {email, username}} and {@code get {userId}}.
 */
public final class UserService extends VerticleBase {

  static final String USERS = "users";
  static final String EMAILS = "user-emails";

  private final ServiceContext ctx;
  private final EventFactory events;
  private ReadModel users;

  public UserService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.events = new EventFactory(ctx.events(), "user");
  }

  @Override
  public Future<?> start() {
    return ReadModel.start(ctx, USERS, Set.of(USERS, EMAILS), UserService::project)
        .compose(model -> {
          users = model;
          return CommandEndpoint.on(vertx, ServiceAddresses.USER)
              .action("register", this::register)
              .action("get", this::get)
              .listen();
        });
  }

  @Override
  public Future<?> stop() {
    return ReadModel.stopAll(users);
  }

  /**
   * Refuses an email that is already registered. The check reads the read model, so two registrations of one
   * address racing within the projection's lag can both pass; the event log keeps both.
   */
  private Future<JsonObject> register(JsonObject body) {
    String email = Fields.text(body, "email");
    String username = Fields.text(body, "username");
    if (!email.matches("[^@\\s]+@[^@\\s]+")) {
      throw CommandFailedException.invalid("email: '" + email + "' is not an email address");
    }
    return users.get(EMAILS, email.toLowerCase(Locale.ROOT)).compose(existing -> {
      if (existing.isPresent()) {
        return Future.failedFuture(CommandFailedException.conflict("email " + email + " is already registered"));
      }
      String userId = "usr-" + EventIds.next();
      return ctx.store().append("user-" + userId, EventStore.NO_STREAM,
              List.of(events.create(new UserRegistered(userId, email, username))))
          .map(appended -> new JsonObject().put("userId", userId).put("position", appended.lastPosition()));
    });
  }

  private Future<JsonObject> get(JsonObject query) {
    String userId = Fields.text(query, "userId");
    return users.awaitPosition(query)
        .compose(v -> users.get(USERS, userId))
        .compose(user -> user.isPresent() ? Future.succeededFuture(user.get())
            : Future.failedFuture(CommandFailedException.notFound("user " + userId + " not found")));
  }

  static Future<Void> project(DocumentWriter writer, RecordedEvent event) {
    if (!(event.data() instanceof UserRegistered registered)) {
      return Future.succeededFuture();
    }
    JsonObject user = new JsonObject()
        .put("userId", registered.userId())
        .put("email", registered.email())
        .put("username", registered.username())
        .put("registeredAt", event.envelope().time().toString());
    return writer.put(USERS, registered.userId(), user)
        .compose(v -> writer.put(EMAILS, registered.email().toLowerCase(Locale.ROOT),
            new JsonObject().put("userId", registered.userId())));
  }

}
