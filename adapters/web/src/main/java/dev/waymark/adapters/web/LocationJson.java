package dev.waymark.adapters.web;

import dev.waymark.domain.location.FieldError;
import dev.waymark.domain.location.LocationCandidate;
import dev.waymark.domain.location.LocationRules;
import dev.waymark.domain.location.LocationVerdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads one location from JSON: checks each field's JSON type, then lets the domain rules judge
 * the values. A field of the wrong type is reported once, by its type, not again by the rules.
 */
final class LocationJson {

  private LocationJson() {}

  static LocationVerdict judge(JsonNode item, LocationRules rules, Instant now) {
    if (!item.isObject()) {
      return new LocationVerdict.Rejected(
          List.of(new FieldError("item", "must be a JSON object")));
    }
    List<FieldError> typeErrors = new ArrayList<>();
    LocationCandidate candidate = new LocationCandidate(
        text(item, "id", typeErrors),
        number(item, "latitude", typeErrors),
        number(item, "longitude", typeErrors),
        number(item, "accuracy", typeErrors),
        text(item, "timestamp", typeErrors),
        number(item, "altitude", typeErrors),
        number(item, "speed", typeErrors),
        number(item, "bearing", typeErrors),
        text(item, "provider", typeErrors),
        number(item, "batteryLevel", typeErrors));
    LocationVerdict verdict = rules.judge(candidate, now);
    if (typeErrors.isEmpty()) {
      return verdict;
    }
    Set<String> mistyped = new HashSet<>();
    typeErrors.forEach(error -> mistyped.add(error.field()));
    List<FieldError> errors = new ArrayList<>(typeErrors);
    if (verdict instanceof LocationVerdict.Rejected rejected) {
      rejected.errors().stream().filter(e -> !mistyped.contains(e.field())).forEach(errors::add);
    }
    return new LocationVerdict.Rejected(errors);
  }

  private static String text(JsonNode item, String field, List<FieldError> typeErrors) {
    JsonNode value = item.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      typeErrors.add(new FieldError(field, "must be a string"));
      return null;
    }
    return value.stringValue();
  }

  private static Double number(JsonNode item, String field, List<FieldError> typeErrors) {
    JsonNode value = item.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      typeErrors.add(new FieldError(field, "must be a number"));
      return null;
    }
    // Through BigDecimal so values beyond the double range become infinite (and are refused
    // by the rules) instead of failing the conversion.
    return value.decimalValue().doubleValue();
  }
}
