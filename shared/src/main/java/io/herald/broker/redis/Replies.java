package io.herald.broker.redis;

import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the replies of the stream commands in both protocol versions: with RESP3, XREAD/XREADGROUP answer a map
 * {@code {stream -> entries}}, with RESP2 an array {@code [[stream, entries], ...]}; entries are
 * {@code [id, [field, value, ...]]} in both (a map of fields is accepted too).
 */
final class Replies {

  private Replies() {
  }

  /** @return the entries of an XREAD/XREADGROUP reply, each stream's in order; empty on a BLOCK timeout (null) */
  static List<StreamEntry> streams(Response reply) {
    List<StreamEntry> entries = new ArrayList<>();
    if (reply == null) {
      return entries;
    }
    if (reply.isMap()) {
      for (String stream : reply.getKeys()) {
        entries.addAll(entries(stream, reply.get(stream)));
      }
    } else {
      for (Response pair : reply) {
        entries.addAll(entries(pair.get(0).toString(), pair.get(1)));
      }
    }
    return entries;
  }

  /** @return the entries of an XRANGE reply, or of the entry list inside an XREAD or XAUTOCLAIM reply */
  static List<StreamEntry> entries(String stream, Response list) {
    List<StreamEntry> entries = new ArrayList<>();
    if (list == null) {
      return entries;
    }
    for (Response entry : list) {
      if (entry == null) {
        continue;
      }
      entries.add(new StreamEntry(stream, entry.get(0).toString(), fields(entry.size() > 1 ? entry.get(1) : null)));
    }
    return entries;
  }

  /** An XAUTOCLAIM reply: where to continue the scan ({@code 0-0} when done), and the entries claimed. */
  record Claimed(String cursor, List<StreamEntry> entries) {
  }

  static Claimed autoclaim(String stream, Response reply) {
    return new Claimed(reply.get(0).toString(), entries(stream, reply.get(1)));
  }

  /** @return entry id to its delivery count, from an extended XPENDING reply */
  static Map<String, Integer> deliveryCounts(Response reply) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    if (reply == null) {
      return counts;
    }
    for (Response row : reply) {
      counts.put(row.get(0).toString(), row.get(3).toInteger());
    }
    return counts;
  }

  private static Map<String, Buffer> fields(Response fields) {
    Map<String, Buffer> map = new LinkedHashMap<>();
    if (fields == null) {
      return map;
    }
    if (fields.isMap()) {
      for (String key : fields.getKeys()) {
        Response value = fields.get(key);
        map.put(key, value == null ? Buffer.buffer() : value.toBuffer());
      }
      return map;
    }
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      Response value = fields.get(i + 1);
      map.put(fields.get(i).toString(), value == null ? Buffer.buffer() : value.toBuffer());
    }
    return map;
  }
}
