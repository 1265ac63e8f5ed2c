package dev.waymark.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between the service and its database that a test makes slow, black-holed or
 * down, the way networks and database servers fail in production.
 *
 * <p>Black-holed connections hold their bytes (as a partitioned network does while TCP
 * retransmits): nothing is lost, and whatever waits flows on when the proxy heals. A cut closes
 * every connection and refuses new ones, which the service cannot tell from a stopped server.
 * Blocking sockets on plain threads: this is test code, off the event loops.
 */
final class TcpProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final int port;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile ServerSocket server;
  private volatile Duration latency = Duration.ZERO;
  private volatile boolean blackHoled;
  private volatile boolean closed;

  private TcpProxy(String host, int targetPort) {
    this.target = new InetSocketAddress(host, targetPort);
    this.server = listen(0);
    this.port = server.getLocalPort();
    acceptOn(server);
  }

  static TcpProxy to(String host, int port) {
    return new TcpProxy(host, port);
  }

  int port() {
    return port;
  }

  /** Every chunk of bytes, either way, waits this long before it is forwarded. */
  void delay(Duration latency) {
    this.latency = latency;
  }

  /** Stop forwarding on every connection, open or new; bytes wait for {@link #heal()}. */
  void blackHole() {
    blackHoled = true;
  }

  /** Stop forwarding on the connections open now only; new connections work. */
  void blackHoleOpenConnections() {
    links.forEach(link -> link.frozen = true);
  }

  /** Forward again, without delay, on every connection; held bytes flow on. */
  void heal() {
    latency = Duration.ZERO;
    blackHoled = false;
    links.forEach(link -> link.frozen = false);
    synchronized (gate) {
      gate.notifyAll();
    }
  }

  /** The database goes down: every connection is closed and new ones are refused. */
  void cut() {
    closeQuietly(server);
    links.forEach(Link::close);
  }

  /** The database is back: connections are accepted again, on the same port. */
  void restore() {
    heal();
    if (!server.isClosed()) {
      return;
    }
    server = listen(port);
    acceptOn(server);
  }

  /** Connections open through the proxy now. */
  int openConnections() {
    return links.size();
  }

  @Override
  public void close() {
    closed = true;
    cut();
    heal();
  }

  private static ServerSocket listen(int port) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port, e);
    }
  }

  private void acceptOn(ServerSocket listening) {
    Thread acceptor = new Thread(() -> {
      while (!listening.isClosed()) {
        try {
          Socket client = listening.accept();
          Socket upstream = new Socket();
          upstream.connect(target, 5_000);
          Link link = new Link(client, upstream);
          links.add(link);
          link.start();
        } catch (IOException e) {
          // The listening socket was closed (cut) or the target refused: the client sees a
          // closed connection either way.
        }
      }
    }, "tcp-proxy-accept-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void awaitForwarding(Link link) throws InterruptedException {
    synchronized (gate) {
      while ((blackHoled || link.frozen) && !closed && !link.isClosed()) {
        gate.wait(50);
      }
    }
    Duration wait = latency;
    if (!wait.isZero()) {
      Thread.sleep(wait.toMillis());
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Closing is best effort: the socket may be gone already.
    }
  }

  /** One proxied connection: a pump each way. */
  private final class Link {
    private final Socket client;
    private final Socket upstream;
    volatile boolean frozen;

    Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void start() throws IOException {
      pump(client.getInputStream(), upstream.getOutputStream(), "up");
      pump(upstream.getInputStream(), client.getOutputStream(), "down");
    }

    private void pump(InputStream from, OutputStream to, String direction) {
      Thread pump = new Thread(() -> {
        byte[] buffer = new byte[16 * 1024];
        try {
          int read;
          while ((read = from.read(buffer)) >= 0) {
            awaitForwarding(this);
            to.write(buffer, 0, read);
            to.flush();
          }
        } catch (IOException | InterruptedException e) {
          // Either side closed: the link is over.
        } finally {
          close();
        }
      }, "tcp-proxy-" + direction + "-" + client.getPort());
      pump.setDaemon(true);
      pump.start();
    }

    boolean isClosed() {
      return client.isClosed();
    }

    void close() {
      links.remove(this);
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }
}
