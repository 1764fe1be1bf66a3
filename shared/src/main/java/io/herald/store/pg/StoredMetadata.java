package io.herald.store.pg;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.herald.event.EventEnvelope;
import io.herald.store.EventStoreException;

/** The envelope attributes kept in the {@code metadata} column, with CloudEvents names; absent ones are null. */
record StoredMetadata(String source, String subject, String aggregatetype, String correlationid, String causationid,
                      String traceparent, String dataschema) {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();
  private static final ObjectReader READER = MAPPER.readerFor(StoredMetadata.class);
  private static final ObjectWriter WRITER = MAPPER.writerFor(StoredMetadata.class);

  static StoredMetadata of(EventEnvelope e) {
    return new StoredMetadata(e.source(), e.subject(), e.aggregatetype(), e.correlationid(), e.causationid(),
        e.traceparent(), e.dataschema());
  }

  static StoredMetadata parse(String json) {
    try {
      return READER.readValue(json);
    } catch (JsonProcessingException e) {
      throw new EventStoreException("stored event metadata is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  String encode() {
    try {
      return WRITER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new EventStoreException("cannot encode event metadata: " + e.getOriginalMessage(), e);
    }
  }
}
