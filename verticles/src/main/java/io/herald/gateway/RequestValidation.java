package io.herald.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.InputTrustHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks each request against its operation in the contract with vertx-openapi's own request validator (parameter
 * styles, body decoding, JSON Schema) and its errors, so a rejected request gets the same 400 and field-level reason.
 * What differs from the router builder's built-in validation is the cost: the validator works on a contract whose
 * schema validators are built once ({@link PrebuiltContract}), not on every request.
 */
final class RequestValidation {

  private static final Logger log = LoggerFactory.getLogger(RequestValidation.class);

  private final RequestValidator rules;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();

  RequestValidation(Vertx vertx, OpenAPIContract contract) {
    this.rules = RequestValidator.create(vertx, new PrebuiltContract(contract));
  }

  /** Validates the route's requests here instead of in the router builder; call before the route's own handlers. */
  void guard(OpenAPIRoute route) {
    Operation operation = route.getOperation();
    route.setDoValidation(false);
    route.addHandler((InputTrustHandler) rc -> handle(rc, operation));
  }

  private void handle(RoutingContext rc, Operation operation) {
    extractor.extractValidatableRequest(rc, operation)
        .compose(request -> rules.validate(request, operation.getOperationId()))
        .onSuccess(validated -> {
          rc.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
          rc.next();
        })
        .onFailure(err -> rc.fail(err instanceof ValidatorException
            ? new HttpException(HttpResponseStatus.BAD_REQUEST.code(), err.getMessage(), err)
            : err instanceof HttpException ? err : unreadable(rc, err)));
  }

  // the validator itself broke on what the client sent (vertx-json-schema's email format check throws on an empty
  // string): the input is at fault, so it is refused like any other invalid input, and the break is logged
  private static HttpException unreadable(RoutingContext rc, Throwable err) {
    log.warn("{} {}: the request validator failed on the input; answered 400", rc.request().method(), rc.request().path(), err);
    return new HttpException(HttpResponseStatus.BAD_REQUEST.code(),
        "the request could not be validated against the contract (" + err.getClass().getSimpleName() + ")", err);
  }
}
