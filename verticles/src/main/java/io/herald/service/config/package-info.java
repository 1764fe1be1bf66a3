/**
 * The config sections services read, as typed records. Reading and checking them from the YAML layers stays in
 * {@code io.herald.launcher.config}, which hands each service what it needs through the service context.
 */
package io.herald.service.config;
