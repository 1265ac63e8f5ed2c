package dev.waymark.bootstrap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingMethod;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * How BlockHound judges blocking calls on event loops in the end-to-end suite.
 *
 * <p>A blocking call made by Waymark's own code (the first frame outside the JDK is
 * {@code dev.waymark}) fails the request, and with it the test. A blocking call inside a
 * library's internals is logged instead: throwing from inside a library's lock corrupts it (it
 * did: a Lettuce writer then spun forever), and such calls are the library's design, not ours.
 * Known ones are tolerated outright: Logback's synchronous console writes, Netty's allocator
 * lock, Spring Data Redis's shared-connection lock and Lettuce's writer lock.
 */
public class WaymarkBlockHoundIntegration implements BlockHoundIntegration {

  private static final Logger log = LoggerFactory.getLogger(WaymarkBlockHoundIntegration.class);

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes");
    builder.allowBlockingCallsInside(
        "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
    builder.allowBlockingCallsInside(
        "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory", "doInLock");
    builder.allowBlockingCallsInside("io.lettuce.core.RedisChannelHandler", "dispatch");
    builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
    builder.blockingMethodCallback(WaymarkBlockHoundIntegration::judge);
  }

  private static void judge(BlockingMethod method) {
    String caller = firstFrameOutsideTheJdk();
    if (caller.startsWith("dev.waymark.")) {
      throw new BlockingOperationError(method);
    }
    log.warn("Blocking call {} inside library code ({}) on a non-blocking thread", method,
        caller);
  }

  private static String firstFrameOutsideTheJdk() {
    for (StackTraceElement frame : Thread.currentThread().getStackTrace()) {
      String type = frame.getClassName();
      if (!(type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")
          || type.startsWith("reactor.blockhound.")
          || type.equals(WaymarkBlockHoundIntegration.class.getName()))) {
        return type + "." + frame.getMethodName();
      }
    }
    return "unknown";
  }
}
