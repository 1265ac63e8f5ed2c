package dev.waymark.adapters.web;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.erdtman.jcs.NumberToJSON;
import tools.jackson.databind.JsonNode;

/**
 * Writes a parsed JSON document in the RFC 8785 canonical form (JCS): object members sorted by
 * UTF-16 code units, no whitespace, minimal string escapes, numbers in the ECMAScript form
 * (so {@code 10}, {@code 10.0} and {@code 1e1} are all {@code 10}). Numbers beyond the double
 * range, which JCS cannot express, are written by exact value instead (docs/adr/0003).
 */
final class CanonicalJson {

  private CanonicalJson() {}

  static String of(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
      members.sort(Map.Entry.comparingByKey());
      out.append('{');
      for (int i = 0; i < members.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        string(members.get(i).getKey(), out);
        out.append(':');
        write(members.get(i).getValue(), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(node.get(i), out);
      }
      out.append(']');
    } else if (node.isString()) {
      string(node.stringValue(), out);
    } else if (node.isNumber()) {
      number(node, out);
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else {
      out.append("null");
    }
  }

  private static void number(JsonNode node, StringBuilder out) {
    BigDecimal exact = node.decimalValue();
    double value = exact.doubleValue();
    if (Double.isFinite(value)) {
      try {
        out.append(NumberToJSON.serializeNumber(value));
        return;
      } catch (IOException e) {
        // only thrown for NaN or infinity, excluded above
        throw new IllegalStateException(e);
      }
    }
    out.append(exact.stripTrailingZeros().toString());
  }

  private static void string(String value, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
