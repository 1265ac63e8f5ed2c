package dev.waymark.adapters.batch;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.InitializingBean;

/**
 * Applies the job repository schema at start with this module's own Flyway history table, so
 * its versions never interleave with the postgres adapter's. Deliberately not a {@link Flyway}
 * bean: one would make Boot's own Flyway (the application schema) back off.
 */
class BatchSchemaMigration implements InitializingBean {

  private final Flyway flyway;

  BatchSchemaMigration(DataSource dataSource) {
    this.flyway = Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/batch")
        .table("flyway_batch_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
  }

  @Override
  public void afterPropertiesSet() {
    flyway.migrate();
  }
}
