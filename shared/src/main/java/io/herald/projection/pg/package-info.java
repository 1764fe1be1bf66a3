/** Projections whose read model lives in PostgreSQL beside the events, committed together with their checkpoint. */
package io.herald.projection.pg;
