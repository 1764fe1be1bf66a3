/**
 * Small helpers for asynchronous code, used across the library: {@link io.herald.async.OnContext} hands results back
 * on the caller's context, {@link io.herald.async.Backoff} spaces retries with exponential backoff and jitter. A leaf:
 * it depends on nothing else in Herald.
 */
package io.herald.async;
