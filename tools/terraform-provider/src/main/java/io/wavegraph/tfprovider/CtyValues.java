package io.wavegraph.tfprovider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Terraform's values on the wire (docs/plugin-protocol/object-wire-format.md), as plain Java values:
 * {@code null}, {@link #UNKNOWN}, String, Boolean, Long/BigInteger/Double (or a String for a number
 * too large for both), List (list, set, tuple), Map (map, object), byte[] (the type half of a
 * "dynamic" value). Decoding needs no schema because MessagePack carries the shape; encoding writes
 * back the same kinds, so a value read and written unchanged is unchanged on the wire.
 */
final class CtyValues {
  /** A value known only after apply. */
  static final Object UNKNOWN = new Object() {
    @Override
    public String toString() {
      return "(known after apply)";
    }
  };

  /** Unknown values: extension 0 (unrefined) and 12 (refined, with a payload we do not need). */
  private static final byte UNKNOWN_EXT = 0;
  private static final byte REFINED_UNKNOWN_EXT = 12;

  private CtyValues() {}

  static Object decode(byte[] msgpack) {
    if (msgpack == null || msgpack.length == 0) {
      return null;
    }
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(msgpack)) {
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("bad MessagePack value from Terraform", e);
    }
  }

  private static Object read(MessageUnpacker in) throws IOException {
    ValueType type = in.getNextFormat().getValueType();
    switch (type) {
      case NIL:
        in.unpackNil();
        return null;
      case BOOLEAN:
        return in.unpackBoolean();
      case INTEGER:
        BigInteger big = in.unpackBigInteger();
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
      case FLOAT:
        return in.unpackDouble();
      case STRING:
        return in.unpackString();
      case BINARY:
        return in.readPayload(in.unpackBinaryHeader());
      case ARRAY: {
        int n = in.unpackArrayHeader();
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(read(in));
        }
        return list;
      }
      case MAP: {
        int n = in.unpackMapHeader();
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          String key = in.unpackString();
          map.put(key, read(in));
        }
        return map;
      }
      case EXTENSION: {
        var ext = in.unpackExtensionTypeHeader();
        in.readPayload(ext.getLength());
        if (ext.getType() != UNKNOWN_EXT && ext.getType() != REFINED_UNKNOWN_EXT) {
          throw new IOException("unexpected MessagePack extension type " + ext.getType());
        }
        return UNKNOWN;
      }
      default:
        throw new IOException("unexpected MessagePack value " + type);
    }
  }

  static byte[] encode(Object value) {
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      write(out, value);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(MessageBufferPacker out, Object v) throws IOException {
    if (v == null) {
      out.packNil();
    } else if (v == UNKNOWN) {
      out.packExtensionTypeHeader(UNKNOWN_EXT, 1);
      out.writePayload(new byte[] {0});
    } else if (v instanceof String s) {
      out.packString(s);
    } else if (v instanceof Boolean b) {
      out.packBoolean(b);
    } else if (v instanceof Long l) {
      out.packLong(l);
    } else if (v instanceof Integer i) {
      out.packInt(i);
    } else if (v instanceof BigInteger b) {
      out.packBigInteger(b);
    } else if (v instanceof Double d) {
      out.packDouble(d);
    } else if (v instanceof byte[] bytes) {
      out.packBinaryHeader(bytes.length);
      out.writePayload(bytes);
    } else if (v instanceof List<?> list) {
      out.packArrayHeader(list.size());
      for (Object e : list) {
        write(out, e);
      }
    } else if (v instanceof Map<?, ?> map) {
      out.packMapHeader(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.packString((String) e.getKey());
        write(out, e.getValue());
      }
    } else {
      throw new IllegalArgumentException("not a Terraform value: " + v.getClass());
    }
  }
}
