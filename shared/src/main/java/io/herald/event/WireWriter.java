package io.herald.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable big-endian byte array: the wire form is built here, then copied into the bus buffer in one call. */
final class WireWriter {

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] bytes;
  private int size;

  WireWriter(int capacity) {
    bytes = new byte[capacity];
  }

  byte[] array() {
    return bytes;
  }

  int size() {
    return size;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  WireWriter writeByte(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
    return this;
  }

  WireWriter writeInt(int v) {
    ensure(4);
    INT.set(bytes, size, v);
    size += 4;
    return this;
  }

  WireWriter writeLong(long v) {
    ensure(8);
    LONG.set(bytes, size, v);
    size += 8;
    return this;
  }

  WireWriter writeBytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, bytes, size, b.length);
    size += b.length;
    return this;
  }

  /** A length-prefixed UTF-8 string; length -1 stands for null. */
  WireWriter writeString(String s) {
    if (s == null) {
      return writeInt(-1);
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return writeInt(b.length).writeBytes(b);
  }
}
