/**
 * What a service depends on: its {@link io.herald.service.ServiceContext}, the read-model hook
 * {@link io.herald.service.ReadModel} and the choreographed-saga hook {@link io.herald.service.SagaReactions}.
 * Services import this package, never the launcher, which wires them.
 */
package io.herald.service;
