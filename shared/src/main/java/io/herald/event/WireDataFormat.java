package io.herald.event;

/** How event data travels between cluster nodes inside the envelope's wire form. */
public enum WireDataFormat {
  /** Record components in binary, no field names: fastest; every node must run the same schema version of each event. */
  BINARY,
  /** JSON, upcast on arrival: for clusters whose nodes run different schema versions (rolling upgrades). */
  JSON
}
