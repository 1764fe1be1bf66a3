package io.herald.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one JSON mapping of event data. Strict on input: every record component is required and non-null,
 * scalars are not coerced ({@code "5"} is not an int, {@code 5} is not a string), and money
 * ({@link BigDecimal}) travels only as a decimal string so no floating-point value ever touches it.
 */
public final class EventJson {

  private static final Pattern CREATOR_PROPERTY = Pattern.compile("property '([^']+)'");

  private static final ObjectMapper MAPPER = createMapper();

  // one prepared reader per record class: skips the per-call type lookup
  private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
    @Override
    protected ObjectReader computeValue(Class<?> type) {
      return MAPPER.readerFor(type);
    }
  };

  private EventJson() {
  }

  /** @return the shared, thread-safe mapper configured for event data */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Converts a record to its JSON object form (a map tree, as Vert.x's {@code JsonObject} holds it). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(Object value) {
    return MAPPER.convertValue(value, Map.class);
  }

  /** Serializes a record to a JSON text. */
  public static String toText(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new EventSchemaException("cannot encode " + value.getClass().getName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Serializes a record to UTF-8 JSON bytes. */
  public static byte[] toBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new EventSchemaException("cannot encode " + value.getClass().getName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Maps a JSON tree onto a record, translating mapping failures into an {@link EventDecodingException}. */
  public static <T> T fromMap(String eventType, Map<String, Object> data, Class<T> type) {
    try {
      return MAPPER.convertValue(data, type);
    } catch (IllegalArgumentException e) {
      throw e.getCause() instanceof JsonMappingException jme ? decodingError(eventType, jme) : new EventDecodingException(eventType, "", e.getMessage());
    }
  }

  /** Parses UTF-8 JSON bytes onto a record, translating failures into an {@link EventDecodingException}. */
  public static <T> T fromBytes(String eventType, byte[] json, int offset, int length, Class<T> type) {
    try {
      return READERS.get(type).readValue(json, offset, length);
    } catch (JsonMappingException e) {
      throw decodingError(eventType, e);
    } catch (IOException e) {
      throw new EventDecodingException(eventType, "", "malformed JSON: " + e.getMessage());
    }
  }

  /** Parses a JSON text onto a record, translating failures into an {@link EventDecodingException}. */
  public static <T> T fromString(String eventType, String json, Class<T> type) {
    try {
      return READERS.get(type).readValue(json);
    } catch (JsonMappingException e) {
      throw decodingError(eventType, e);
    } catch (IOException e) {
      throw new EventDecodingException(eventType, "", "malformed JSON: " + e.getMessage());
    }
  }

  static EventDecodingException decodingError(String eventType, JsonMappingException e) {
    String path = pathOf(e);
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    Matcher creator = CREATOR_PROPERTY.matcher(original);
    if (original.startsWith("Missing") && creator.find()) {
      return new EventDecodingException(eventType, join(path, creator.group(1)), "required field is missing");
    }
    if (original.startsWith("Null value for creator property") && creator.find()) {
      return new EventDecodingException(eventType, join(path, creator.group(1)), "required field is null");
    }
    if (e instanceof InvalidFormatException ife) {
      return new EventDecodingException(eventType, path, "invalid value '" + ife.getValue() + "' for " + simpleName(ife.getTargetType()));
    }
    if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
      return new EventDecodingException(eventType, path, "wrong JSON type, expected " + simpleName(mie.getTargetType()));
    }
    return new EventDecodingException(eventType, path, original);
  }

  private static String simpleName(Class<?> type) {
    if (type == null) {
      return "a value";
    }
    if (type == BigDecimal.class) {
      return "a decimal string";
    }
    if (type == String.class) {
      return "a string";
    }
    return type.getSimpleName();
  }

  // Jackson sometimes already ends the path with the property it names
  private static String join(String path, String field) {
    if (path.equals(field) || path.endsWith("." + field)) {
      return path;
    }
    return path.isEmpty() ? field : path + "." + field;
  }

  private static String pathOf(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static ObjectMapper createMapper() {
    SimpleModule decimals = new SimpleModule("herald-decimal-strings")
        .addSerializer(BigDecimal.class, new DecimalStringSerializer())
        .addDeserializer(BigDecimal.class, new DecimalStringDeserializer());
    JsonMapper mapper = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(decimals)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)   // tolerant reader: newer producers may add fields
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    for (LogicalType scalar : new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      mapper.coercionConfigFor(scalar)
          .setCoercion(CoercionInputShape.Integer, scalar == LogicalType.Integer || scalar == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, scalar == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, scalar == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(CoercionInputShape.String, scalar == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail);
    }
    return mapper;
  }

  /** Money and other exact decimals are written as plain decimal strings ({@code "19.90"}), never as JSON numbers. */
  private static final class DecimalStringSerializer extends JsonSerializer<BigDecimal> {
    @Override
    public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeString(value.toPlainString());
    }
  }

  private static final class DecimalStringDeserializer extends JsonDeserializer<BigDecimal> {
    @Override
    public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (BigDecimal) ctxt.handleUnexpectedToken(BigDecimal.class, p);
      }
      String text = p.getText().trim();
      try {
        return new BigDecimal(text);
      } catch (NumberFormatException e) {
        return (BigDecimal) ctxt.handleWeirdStringValue(BigDecimal.class, text, "not a decimal number");
      }
    }
  }
}
