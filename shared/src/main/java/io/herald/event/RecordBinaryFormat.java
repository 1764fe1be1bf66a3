package io.herald.event;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A compact binary form for records, used on the clustered event bus where both ends run the same record
 * classes: components in declaration order, no names, fixed-width numbers, length-prefixed UTF-8.
 * Supported component types: String, the primitives and their boxes (int, long, boolean, double), BigDecimal
 * (exact: scale + unscaled value), Instant, UUID, enums (by name), nested records and {@code List}s of any of
 * these. {@link #supports(Class)} says whether a record qualifies; callers fall back to JSON when it does not.
 */
final class RecordBinaryFormat {

  private static final byte NULL = 0;
  private static final byte PRESENT = 1;

  private final ClassValue<Plan> plans = new ClassValue<>() {
    @Override
    protected Plan computeValue(Class<?> type) {
      try {
        return new Plan(type);
      } catch (UnsupportedOperationException e) {
        return null;
      }
    }
  };

  boolean supports(Class<?> recordClass) {
    return recordClass.isRecord() && plans.get(recordClass) != null;
  }

  void write(WireWriter out, Object record) {
    plans.get(record.getClass()).write(out, record);
  }

  <T> T read(Class<T> recordClass, WireReader in) {
    return recordClass.cast(plans.get(recordClass).read(in));
  }

  private interface FieldCodec {
    void write(WireWriter out, Object value);

    Object read(WireReader in);
  }

  private final class Plan implements FieldCodec {
    private final Method[] accessors;
    private final FieldCodec[] codecs;
    private final Constructor<?> constructor;
    private final String name;

    Plan(Class<?> type) {
      if (!type.isRecord()) {
        throw new UnsupportedOperationException(type.getName() + " is not a record");
      }
      RecordComponent[] components = type.getRecordComponents();
      accessors = new Method[components.length];
      codecs = new FieldCodec[components.length];
      Class<?>[] parameterTypes = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        accessors[i] = components[i].getAccessor();
        accessors[i].setAccessible(true);
        codecs[i] = codecFor(components[i].getGenericType());
        parameterTypes[i] = components[i].getType();
      }
      try {
        constructor = type.getDeclaredConstructor(parameterTypes);
        constructor.setAccessible(true);
      } catch (NoSuchMethodException e) {
        throw new UnsupportedOperationException(e);
      }
      name = type.getName();
    }

    @Override
    public void write(WireWriter out, Object record) {
      try {
        for (int i = 0; i < accessors.length; i++) {
          codecs[i].write(out, accessors[i].invoke(record));
        }
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new EventSchemaException("cannot read the components of " + name, e);
      }
    }

    @Override
    public Object read(WireReader in) {
      Object[] args = new Object[codecs.length];
      for (int i = 0; i < codecs.length; i++) {
        args[i] = codecs[i].read(in);
      }
      try {
        return constructor.newInstance(args);
      } catch (InvocationTargetException e) {
        throw new EventSchemaException("cannot rebuild " + name + ": " + e.getCause().getMessage(), e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new EventSchemaException("cannot rebuild " + name, e);
      }
    }
  }

  private FieldCodec codecFor(Type type) {
    if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
      return new ListCodec(codecFor(p.getActualTypeArguments()[0]));
    }
    if (!(type instanceof Class<?> c)) {
      throw new UnsupportedOperationException("unsupported component type " + type);
    }
    if (c == String.class) {
      return STRING;
    }
    if (c == int.class) {
      return INT;
    }
    if (c == long.class) {
      return LONG;
    }
    if (c == boolean.class) {
      return BOOLEAN;
    }
    if (c == double.class) {
      return DOUBLE;
    }
    if (c == Integer.class) {
      return nullable(INT);
    }
    if (c == Long.class) {
      return nullable(LONG);
    }
    if (c == Boolean.class) {
      return nullable(BOOLEAN);
    }
    if (c == Double.class) {
      return nullable(DOUBLE);
    }
    if (c == BigDecimal.class) {
      return nullable(DECIMAL);
    }
    if (c == Instant.class) {
      return nullable(INSTANT);
    }
    if (c == UUID.class) {
      return nullable(UUID_CODEC);
    }
    if (c.isEnum()) {
      return nullable(new EnumCodec(c));
    }
    if (c.isRecord()) {
      Plan nested = plans.get(c);
      if (nested == null) {
        throw new UnsupportedOperationException("unsupported nested record " + c.getName());
      }
      return nullable(nested);
    }
    throw new UnsupportedOperationException("unsupported component type " + c.getName());
  }

  private static FieldCodec nullable(FieldCodec inner) {
    return new FieldCodec() {
      @Override
      public void write(WireWriter out, Object value) {
        if (value == null) {
          out.writeByte(NULL);
        } else {
          out.writeByte(PRESENT);
          inner.write(out, value);
        }
      }

      @Override
      public Object read(WireReader in) {
        return in.readByte() == NULL ? null : inner.read(in);
      }
    };
  }

  private static final FieldCodec STRING = new FieldCodec() {
    @Override
    public void write(WireWriter out, Object value) {
      out.writeString((String) value);
    }

    @Override
    public Object read(WireReader in) {
      return in.readString();
    }
  };

  private static final FieldCodec INT = new FieldCodec() {
    @Override
    public void write(WireWriter out, Object value) {
      out.writeInt((Integer) value);
    }

    @Override
    public Object read(WireReader in) {
      return in.readInt();
    }
  };

  private static final FieldCodec LONG = new FieldCodec() {
    @Override
    public void write(WireWriter out, Object value) {
      out.writeLong((Long) value);
    }

    @Override
    public Object read(WireReader in) {
      return in.readLong();
    }
  };

  private static final FieldCodec BOOLEAN = new FieldCodec() {
    @Override
    public void write(WireWriter out, Object value) {
      out.writeByte((Boolean) value ? 1 : 0);
    }

    @Override
    public Object read(WireReader in) {
      return in.readByte() == 1;
    }
  };

  private static final FieldCodec DOUBLE = new FieldCodec() {
    @Override
    public void write(WireWriter out, Object value) {
      out.writeLong(Double.doubleToRawLongBits((Double) value));
    }

    @Override
    public Object read(WireReader in) {
      return Double.longBitsToDouble(in.readLong());
    }
  };

  // exact: the scale and the unscaled value, as a long when it fits
  private static final FieldCodec DECIMAL = new FieldCodec() {
    @Override
    public void write(WireWriter out, Object value) {
      BigDecimal d = (BigDecimal) value;
      out.writeInt(d.scale());
      BigInteger unscaled = d.unscaledValue();
      if (unscaled.bitLength() < 64) {
        out.writeByte(0).writeLong(unscaled.longValue());
      } else {
        byte[] bytes = unscaled.toByteArray();
        out.writeByte(1).writeInt(bytes.length).writeBytes(bytes);
      }
    }

    @Override
    public Object read(WireReader in) {
      int scale = in.readInt();
      if (in.readByte() == 0) {
        return BigDecimal.valueOf(in.readLong(), scale);
      }
      return new BigDecimal(new BigInteger(in.readBytes(in.readInt())), scale);
    }
  };

  private static final FieldCodec INSTANT = new FieldCodec() {
    @Override
    public void write(WireWriter out, Object value) {
      Instant i = (Instant) value;
      out.writeLong(i.getEpochSecond()).writeInt(i.getNano());
    }

    @Override
    public Object read(WireReader in) {
      long seconds = in.readLong();
      return Instant.ofEpochSecond(seconds, in.readInt());
    }
  };

  private static final FieldCodec UUID_CODEC = new FieldCodec() {
    @Override
    public void write(WireWriter out, Object value) {
      UUID u = (UUID) value;
      out.writeLong(u.getMostSignificantBits()).writeLong(u.getLeastSignificantBits());
    }

    @Override
    public Object read(WireReader in) {
      long most = in.readLong();
      return new UUID(most, in.readLong());
    }
  };

  private static final class EnumCodec implements FieldCodec {
    private final Class<?> type;

    EnumCodec(Class<?> type) {
      this.type = type;
    }

    @Override
    public void write(WireWriter out, Object value) {
      out.writeString(((Enum<?>) value).name());
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object read(WireReader in) {
      return Enum.valueOf((Class) type, in.readString());
    }
  }

  private static final class ListCodec implements FieldCodec {
    private final FieldCodec element;

    ListCodec(FieldCodec element) {
      this.element = element;
    }

    @Override
    public void write(WireWriter out, Object value) {
      if (value == null) {
        out.writeInt(-1);
        return;
      }
      List<?> list = (List<?>) value;
      out.writeInt(list.size());
      for (Object item : list) {
        element.write(out, item);
      }
    }

    @Override
    public Object read(WireReader in) {
      int size = in.readInt();
      if (size < 0) {
        return null;
      }
      List<Object> list = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        list.add(element.read(in));
      }
      return Collections.unmodifiableList(list);
    }
  }
}
