/** The event bus contract between the gateway and the services: addresses and request fields. */
package io.herald.contract;
