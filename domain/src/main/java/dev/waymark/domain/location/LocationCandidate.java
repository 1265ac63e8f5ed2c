package dev.waymark.domain.location;

/**
 * A location as the device sent it, before the rules judged it: every field may be missing
 * ({@code null}) or out of range. The timestamp is the raw text, parsed by the rules.
 */
public record LocationCandidate(
    String pointId,
    Double latitude,
    Double longitude,
    Double accuracy,
    String timestamp,
    Double altitude,
    Double speed,
    Double bearing,
    String provider,
    Double batteryLevel) {}
