package io.herald.gateway.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.SecurityRequirement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks each API request's token against the scope its operation declares in the contract ({@code security:
 * [{bearer: [write]}]}), before the body is read or validated: an unauthenticated request costs no parsing. Paths
 * the contract does not declare (health, metrics) pass through untouched. Commands ({@code write}) then take one
 * write from the caller's {@link WriteRateLimiter} bucket: past it, 429 with {@code Retry-After}. A platform handler, so that Vert.x Web
 * lets it run ahead of the body handler (an authentication handler must follow it); the router keeps the request
 * paused until the body handler reads it.
 */
public final class OperationAccess implements PlatformHandler {

  /** The security scheme every operation of the contract names. */
  public static final String SCHEME = "bearer";

  private final OpenAPIContract contract;
  private final Access access;
  private final WriteRateLimiter writes;
  private final Map<String, Optional<Scope>> scopes = new HashMap<>();

  public OperationAccess(OpenAPIContract contract, Access access, WriteRateLimiter writes) {
    this.contract = contract;
    this.access = access;
    this.writes = writes;
    contract.operations().forEach(op -> scopes.put(op.getOperationId(), scopeOf(op)));
  }

  /**
   * @return the one scope the operation requires, empty when it declares no security
   * @throws IllegalStateException when it names another scheme or an unknown scope: the contract and the code disagree
   */
  static Optional<Scope> scopeOf(Operation operation) {
    for (SecurityRequirement requirement : operation.getSecurityRequirements()) {
      if (requirement.isEmpty()) {
        continue;
      }
      if (!requirement.getNames().contains(SCHEME) || requirement.getScopes(SCHEME).size() != 1) {
        throw new IllegalStateException("operation " + operation.getOperationId() + " must require exactly one scope of '"
            + SCHEME + "'");
      }
      return Optional.of(Scope.of(requirement.getScopes(SCHEME).get(0)));
    }
    return Optional.empty();
  }

  @Override
  public void handle(RoutingContext rc) {
    Optional<Scope> scope = required(rc.normalizedPath(), rc.request().method());
    if (scope.isEmpty()) {
      rc.next();
      return;
    }
    access.require(rc.request(), scope.get(), false)
        .onSuccess(v -> {
          long wait = scope.get() == Scope.WRITE ? writes.acquire(caller(rc)) : 0;
          if (wait > 0) {
            rc.fail(new RateLimited("more than " + rateText() + " commands a second from this "
                + (access.enabled() ? "token" : "address") + "; retry after " + wait + " s", wait));
          } else {
            rc.next();
          }
        })
        .onFailure(rc::fail);
  }

  /** The token, already checked; the client's address when auth is off. */
  private String caller(RoutingContext rc) {
    String authorization = rc.request().getHeader("Authorization");
    if (access.enabled() && authorization != null) {
      return "token " + authorization;
    }
    return "address " + (rc.request().remoteAddress() == null ? "unknown" : rc.request().remoteAddress().hostAddress());
  }

  private String rateText() {
    double rate = writes.perSecond();
    return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
  }

  private Optional<Scope> required(String path, HttpMethod method) {
    Operation operation;
    try {
      operation = contract.findOperation(path, method);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return operation == null ? Optional.empty() : scopes.getOrDefault(operation.getOperationId(), Optional.empty());
  }
}
