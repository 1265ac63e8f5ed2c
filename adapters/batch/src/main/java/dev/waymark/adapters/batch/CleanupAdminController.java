package dev.waymark.adapters.batch;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The operators' trigger and view of the cleanup job (scope {@code admin}, enforced by the web
 * adapter's security). Launching and reading the job repository are JDBC calls, so they run on
 * the bounded-elastic scheduler, never on an event loop.
 */
@RestController
@RequestMapping(CleanupAdminController.PATH)
class CleanupAdminController {

  static final String PATH = "/api/v1/admin/idempotency-keys/cleanup";
  static final URI ALREADY_RUNNING = URI.create("https://waymark.dev/problems/cleanup-already-running");

  private final CleanupLauncher launcher;
  private final CleanupHistory history;

  CleanupAdminController(CleanupLauncher launcher, CleanupHistory history) {
    this.launcher = launcher;
    this.history = history;
  }

  @PostMapping
  Mono<ResponseEntity<CleanupHistory.CleanupExecution>> start() {
    return Mono.fromCallable(launcher::launch)
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(launch -> {
          if (launch instanceof CleanupLauncher.AlreadyRunning running) {
            return Mono.error(alreadyRunning(running.executionId()));
          }
          long id = ((CleanupLauncher.Started) launch).executionId();
          return Mono.fromCallable(() -> history.find(id).orElseThrow())
              .subscribeOn(Schedulers.boundedElastic())
              .map(execution -> ResponseEntity.accepted()
                  .location(URI.create(PATH + "/" + id))
                  .body(execution));
        });
  }

  @GetMapping("/{executionId}")
  Mono<CleanupHistory.CleanupExecution> execution(@PathVariable long executionId) {
    return Mono.fromCallable(() -> history.find(executionId))
        .subscribeOn(Schedulers.boundedElastic())
        .map(found -> found.orElseThrow(() -> notFound(executionId)));
  }

  @GetMapping
  Mono<Map<String, List<CleanupHistory.CleanupExecution>>> executions() {
    return Mono.fromCallable(() -> Map.of("executions", history.recent()))
        .subscribeOn(Schedulers.boundedElastic());
  }

  private static ErrorResponseException alreadyRunning(long executionId) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
        "Cleanup execution " + executionId + " is running; only one runs at a time.");
    problem.setType(ALREADY_RUNNING);
    problem.setTitle("Cleanup already running");
    problem.setProperty("executionId", executionId);
    return new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
  }

  private static ErrorResponseException notFound(long executionId) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
        "No cleanup execution " + executionId + ".");
    problem.setTitle("Not found");
    return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
  }
}
