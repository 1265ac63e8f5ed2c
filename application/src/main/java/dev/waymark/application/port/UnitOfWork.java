package dev.waymark.application.port;

import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Out-port: runs work atomically. Everything the work does through the stores of this unit
 * commits together when it completes, and nothing of it remains when it fails or is cancelled.
 * On PostgreSQL this is a transaction; a store outside it (e.g. Redis) must get its atomicity
 * from fencing instead.
 */
public interface UnitOfWork {

  <T> Mono<T> atomically(Supplier<Mono<T>> work);
}
