package dev.waymark.adapters.postgres;

import dev.waymark.application.port.UnitOfWork;
import io.r2dbc.spi.ConnectionFactory;
import java.util.function.Supplier;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * A unit of work as one PostgreSQL transaction (READ COMMITTED). Its own R2DBC transaction
 * manager keeps it independent of whichever transaction manager the application context
 * declares for other work (the JDBC one of Spring Batch, for instance).
 */
@Component
class PostgresUnitOfWork implements UnitOfWork {

  private final TransactionalOperator transactions;

  PostgresUnitOfWork(ConnectionFactory connectionFactory) {
    this.transactions = TransactionalOperator.create(
        new R2dbcTransactionManager(connectionFactory));
  }

  @Override
  public <T> Mono<T> atomically(Supplier<Mono<T>> work) {
    return transactions.transactional(Mono.defer(work)).onErrorMap(StorageErrors::translate);
  }
}
