/**
 * Commands and queries between services: request/reply on the Vert.x event bus with timeouts
 * ({@link io.herald.command.CommandBus}), one address per service with a handler per action
 * ({@link io.herald.command.CommandEndpoint}), and failure codes that keep their meaning end to end
 * ({@link io.herald.command.CommandFailure}).
 */
package io.herald.command;
