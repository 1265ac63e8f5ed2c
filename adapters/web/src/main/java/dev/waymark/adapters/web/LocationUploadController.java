package dev.waymark.adapters.web;

import dev.waymark.application.upload.IdempotentRequest;
import dev.waymark.application.upload.UploadKind;
import dev.waymark.application.upload.UploadLocationsCommand;
import dev.waymark.application.upload.UploadLocationsUseCase;
import dev.waymark.application.upload.UploadOutcome;
import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.IdempotencyKeyHeader;
import dev.waymark.domain.idempotency.RequestFingerprint;
import dev.waymark.domain.idempotency.StoredResponse;
import dev.waymark.domain.location.FieldError;
import dev.waymark.domain.location.Location;
import dev.waymark.domain.location.LocationRules;
import dev.waymark.domain.location.LocationVerdict;
import dev.waymark.domain.location.RejectedItem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The upload endpoints. Checks run in the contract's order (after authentication): the
 * Idempotency-Key header, content type, body size, JSON and validation, then the use case decides
 * idempotency and stores.
 */
@RestController
@RequestMapping("/api/v1/locations")
@SecurityRequirement(name = "bearer")
class LocationUploadController {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
  static final String IDEMPOTENCY_KEY_EXPIRES = "Idempotency-Key-Expires";

  private final UploadLocationsUseCase uploads;
  private final LocationRules rules;
  private final UploadProperties limits;
  private final Clock clock;

  LocationUploadController(UploadLocationsUseCase uploads, LocationRules rules,
      UploadProperties limits, Clock clock) {
    this.uploads = uploads;
    this.rules = rules;
    this.limits = limits;
    this.clock = clock;
  }

  @Operation(summary = "Upload one location",
      description = "Body: one location object (see the HTTP contract). Answers"
          + " {\"processedCount\":1,\"duplicateCount\":0}.")
  @Parameter(name = IDEMPOTENCY_KEY, in = ParameterIn.HEADER, required = false,
      description = "1..255 visible ASCII characters; a retry with the same key is replayed")
  @PostMapping
  Mono<ResponseEntity<byte[]>> uploadOne(
      ServerWebExchange exchange, @AuthenticationPrincipal Jwt token) {
    return upload(UploadKind.SINGLE, exchange, token);
  }

  @Operation(summary = "Upload a batch of locations",
      description = "Body: {\"locations\": [ ... ]}. Valid items are stored together; invalid ones"
          + " are listed in \"rejected\" and never stored.")
  @Parameter(name = IDEMPOTENCY_KEY, in = ParameterIn.HEADER, required = false,
      description = "1..255 visible ASCII characters; a retry with the same key is replayed")
  @PostMapping("/batch")
  Mono<ResponseEntity<byte[]>> uploadBatch(
      ServerWebExchange exchange, @AuthenticationPrincipal Jwt token) {
    return upload(UploadKind.BATCH, exchange, token);
  }

  private Mono<ResponseEntity<byte[]>> upload(
      UploadKind kind, ServerWebExchange exchange, Jwt token) {
    return Mono.defer(() -> {
      Principal principal = principalOf(token);
      IdempotencyKeyHeader.Parsed keyHeader = IdempotencyKeyHeader.parse(
          exchange.getRequest().getHeaders().getOrEmpty(IDEMPOTENCY_KEY));
      if (keyHeader instanceof IdempotencyKeyHeader.Malformed malformed) {
        throw new ApiProblem(ProblemType.INVALID_IDEMPOTENCY_KEY,
            "The Idempotency-Key header " + malformed.reason() + ".",
            List.of(new FieldError(IDEMPOTENCY_KEY, malformed.reason())));
      }
      RequestBodies.requireJson(exchange.getRequest());
      return RequestBodies.read(exchange.getRequest(), (int) limits.maxBodySize().toBytes())
          .map(RequestBodies::parse)
          .map(root -> command(kind, principal, root, keyHeader))
          .flatMap(uploads::upload)
          .map(LocationUploadController::respond);
    });
  }

  private UploadLocationsCommand command(UploadKind kind, Principal principal, JsonNode root,
      IdempotencyKeyHeader.Parsed keyHeader) {
    Instant now = clock.instant();
    List<Location> accepted = new ArrayList<>();
    List<RejectedItem> rejected = new ArrayList<>();
    if (kind == UploadKind.SINGLE) {
      LocationVerdict verdict = LocationJson.judge(root, rules, now);
      if (verdict instanceof LocationVerdict.Rejected invalid) {
        throw new ApiProblem(ProblemType.INVALID_REQUEST, "The location is invalid.",
            invalid.errors());
      }
      accepted.add(((LocationVerdict.Accepted) verdict).location());
    } else {
      JsonNode items = batchItems(root);
      for (int index = 0; index < items.size(); index++) {
        LocationVerdict verdict = LocationJson.judge(items.get(index), rules, now);
        if (verdict instanceof LocationVerdict.Accepted valid) {
          accepted.add(valid.location());
        } else {
          rejected.add(new RejectedItem(index, ((LocationVerdict.Rejected) verdict).errors()));
        }
      }
    }
    Optional<IdempotentRequest> idempotency = Optional.empty();
    if (keyHeader instanceof IdempotencyKeyHeader.Present present) {
      idempotency = Optional.of(new IdempotentRequest(present.key(),
          RequestFingerprint.of(kind.operation(), CanonicalJson.of(root))));
    }
    return new UploadLocationsCommand(principal, kind, accepted, rejected, idempotency);
  }

  private JsonNode batchItems(JsonNode root) {
    JsonNode items = root.isObject() ? root.get("locations") : null;
    String problem = null;
    if (items == null || !items.isArray()) {
      problem = "must be an array of locations";
    } else if (items.isEmpty()) {
      problem = "must hold at least 1 location";
    } else if (items.size() > limits.maxBatchSize()) {
      problem = "must hold at most " + limits.maxBatchSize() + " locations, not " + items.size();
    }
    if (problem != null) {
      throw new ApiProblem(ProblemType.INVALID_REQUEST, "The batch is malformed; nothing was"
          + " stored.", List.of(new FieldError("locations", problem)));
    }
    return items;
  }

  private static Principal principalOf(Jwt token) {
    if (token == null || token.getSubject() == null || token.getSubject().isBlank()) {
      throw new ApiProblem(ProblemType.UNAUTHORIZED, "The bearer token has no subject.");
    }
    return new Principal(token.getSubject());
  }

  private static ResponseEntity<byte[]> respond(UploadOutcome outcome) {
    if (outcome instanceof UploadOutcome.Processed processed) {
      HttpHeaders headers = new HttpHeaders();
      processed.keyExpiresAt().ifPresent(expiry -> setExpiry(headers, expiry));
      return stored(processed.response(), headers);
    }
    if (outcome instanceof UploadOutcome.Replayed replayed) {
      HttpHeaders headers = new HttpHeaders();
      headers.set(IDEMPOTENT_REPLAYED, "true");
      setExpiry(headers, replayed.keyExpiresAt());
      return stored(replayed.response(), headers);
    }
    if (outcome instanceof UploadOutcome.KeyMismatch) {
      throw new ApiProblem(ProblemType.IDEMPOTENCY_KEY_MISMATCH,
          "This Idempotency-Key was already used for a different request (another endpoint or"
              + " payload); nothing was stored. Use a new key for a new request.");
    }
    UploadOutcome.KeyInFlight inFlight = (UploadOutcome.KeyInFlight) outcome;
    HttpHeaders headers = new HttpHeaders();
    String seconds = Long.toString(Math.max(1, inFlight.retryAfter().toSeconds()));
    headers.set(HttpHeaders.RETRY_AFTER, seconds);
    throw new ApiProblem(ProblemType.IDEMPOTENCY_KEY_IN_FLIGHT,
        "A request with this Idempotency-Key is still being processed; retry after " + seconds
            + " s to receive its response.", List.of(), Map.of(), headers);
  }

  private static ResponseEntity<byte[]> stored(StoredResponse response, HttpHeaders headers) {
    headers.setContentType(MediaType.parseMediaType(response.contentType()));
    return ResponseEntity.status(response.status()).headers(headers).body(response.body());
  }

  private static void setExpiry(HttpHeaders headers, Instant expiry) {
    // HttpHeaders.setDate writes the IMF-fixdate form RFC 9110 requires.
    headers.setDate(IDEMPOTENCY_KEY_EXPIRES, expiry.toEpochMilli());
  }
}
