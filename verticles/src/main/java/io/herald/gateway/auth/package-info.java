/**
 * Credentials of the HTTP edge: JWT bearer tokens checked against the node's keys ({@link io.herald.gateway.auth.Tokens}),
 * the scope each operation, feed and the bridge needs ({@link io.herald.gateway.auth.Access},
 * {@link io.herald.gateway.auth.OperationAccess}) and the per-caller write rate
 * ({@link io.herald.gateway.auth.WriteRateLimiter}). Refusals are exceptions the gateway answers as problems.
 */
package io.herald.gateway.auth;
