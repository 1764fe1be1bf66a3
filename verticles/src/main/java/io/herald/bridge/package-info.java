/** The bridge verticles between the event store and the broker. */
package io.herald.bridge;
