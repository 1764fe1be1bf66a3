package io.herald.bench.load;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * How far the node's consumers of the store are behind its head, in events.
 *
 * @param projections the lags of every read model, summed; empty when they could not be read
 * @param relay       the relay's: stored events the broker has not confirmed; empty where this node's relay does not
 *                    publish (it stands by) or readiness could not be read
 * @param problem     why the read models' lag could not be read, e.g. a token without the {@code admin} scope
 */
record NodeLag(OptionalLong projections, OptionalLong relay, Optional<String> problem) {
}
