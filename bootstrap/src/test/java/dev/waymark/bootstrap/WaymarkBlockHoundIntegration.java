package dev.waymark.bootstrap;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound tolerates on event loops in the end-to-end suite: nothing of Waymark's own.
 * Console logging is synchronous by Logback's design (production deployments that log on the
 * request path should use an async appender); Netty's adaptive buffer allocator takes a short
 * internal lock when it grows, which its own BlockHound integration does not list yet; Spring
 * Data Redis hands out its shared Lettuce connection under a lock on every command (the
 * connection itself is opened at start, on the main thread, by RedisAdapterConfiguration), and
 * Lettuce serialises concurrent writers to that connection with a short lock. Throwing inside
 * those locks would corrupt Lettuce's lock state (it did: a writer then spun forever), so they
 * are allowed rather than reported.
 */
public class WaymarkBlockHoundIntegration implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes");
    builder.allowBlockingCallsInside(
        "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
    builder.allowBlockingCallsInside(
        "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory$SharedConnection",
        "getConnection");
    builder.allowBlockingCallsInside("io.lettuce.core.RedisChannelHandler", "dispatch");
    builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
  }
}
