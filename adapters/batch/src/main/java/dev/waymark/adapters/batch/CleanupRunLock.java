package dev.waymark.adapters.batch;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL advisory locks that make the cleanup a singleton across every instance sharing
 * the database. The run lock is held by the session of the instance running the job, for the
 * whole run: if that instance dies, PostgreSQL drops the session and with it the lock, so a
 * "running" execution without its lock is known to be orphaned. The launch lock serialises the
 * check-then-start of {@link CleanupLauncher}.
 */
@Component
class CleanupRunLock implements JobExecutionListener {

  /** Arbitrary, fixed keys in PostgreSQL's advisory lock space ("WAYM" + 1, + 2). */
  static final long RUN_LOCK = 0x5741594D_0001L;
  static final long LAUNCH_LOCK = 0x5741594D_0002L;
  private static final java.time.Duration RUN_LOCK_WAIT = java.time.Duration.ofSeconds(5);

  private final DataSource dataSource;
  private final Map<Long, Connection> sessions = new ConcurrentHashMap<>();

  CleanupRunLock(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void beforeJob(JobExecution execution) {
    try {
      Connection session = dataSource.getConnection();
      session.setAutoCommit(true);
      if (!awaitLock(session)) {
        session.close();
        throw new IllegalStateException("another cleanup holds the run lock");
      }
      sessions.put(execution.getId(), session);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot take the cleanup run lock", e);
    }
  }

  /**
   * Takes the run lock, waiting up to {@link #RUN_LOCK_WAIT}: only a cleanup that really runs
   * holds it for long. Runs on the job's own thread, never an event loop, so waiting is fine.
   */
  private static boolean awaitLock(Connection session) throws SQLException {
    long deadline = System.nanoTime() + RUN_LOCK_WAIT.toNanos();
    while (!tryLock(session, RUN_LOCK)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  @Override
  public void afterJob(JobExecution execution) {
    Connection session = sessions.remove(execution.getId());
    if (session == null) {
      return;
    }
    try (session) {
      unlock(session, RUN_LOCK);
    } catch (SQLException e) {
      // Closing the session below (or its death) frees the lock anyway.
    }
  }

  /**
   * Whether some session, of any instance, holds the run lock right now. Read from pg_locks
   * rather than by trying the lock, which would take it for an instant from a job about to start.
   */
  static boolean runLockHeld(Connection probe) throws SQLException {
    try (var statement = probe.prepareStatement("""
        SELECT count(*) FROM pg_locks
         WHERE locktype = 'advisory' AND objsubid = 1 AND granted
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND ((classid::bigint << 32) | objid::bigint) = ?""")) {
      statement.setLong(1, RUN_LOCK);
      var result = statement.executeQuery();
      result.next();
      return result.getLong(1) > 0;
    }
  }

  static boolean tryLock(Connection session, long key) throws SQLException {
    try (var statement = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      statement.setLong(1, key);
      var result = statement.executeQuery();
      result.next();
      return result.getBoolean(1);
    }
  }

  static void lock(Connection session, long key) throws SQLException {
    try (var statement = session.prepareStatement("SELECT pg_advisory_lock(?)")) {
      statement.setLong(1, key);
      statement.executeQuery();
    }
  }

  static void unlock(Connection session, long key) throws SQLException {
    try (var statement = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      statement.setLong(1, key);
      statement.executeQuery();
    }
  }
}
