package io.spacecrab.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real local HTTP server standing in for PagerDuty, Slack, a webhook receiver or a misbehaving
 * AWS endpoint: answers with the scripted responses in order (then the default), and records
 * every request. Each exchange runs on its own thread, so a slow answer does not hold the next
 * request.
 */
public final class Receiver implements AutoCloseable {
  /** The pause between two bytes of a dribbled body. */
  public static final Duration DRIBBLE_PAUSE = Duration.ofMillis(200);

  /**
   * One scripted answer.
   *
   * @param delay how long to wait before sending anything (longer than a client's read timeout: it
   *     times out)
   * @param dribble when positive, the status, headers and {@code body} go out at once, then one
   *     space every {@link #DRIBBLE_PAUSE} for this long (the body never ends in time)
   */
  public record Answer(int status, Map<String, String> headers, String body, Duration delay, Duration dribble) {
    public Answer(int status, Map<String, String> headers, String body) {
      this(status, headers, body, Duration.ZERO, Duration.ZERO);
    }

    public static Answer of(int status) {
      return new Answer(status, Map.of(), "");
    }

    /** {@code status} with an empty body, sent only after {@code delay}. */
    public static Answer after(Duration delay, int status) {
      return new Answer(status, Map.of(), "", delay, Duration.ZERO);
    }

    /** {@code status} and the start of the body at once, then the rest a byte at a time for {@code length}. */
    public static Answer dribbling(int status, String start, Duration length) {
      return new Answer(status, Map.of(), start, Duration.ZERO, length);
    }
  }

  /** One request as received; {@code remotePort} tells the client's connections apart (reuse keeps it). */
  public record Request(Instant at, String path, Map<String, List<String>> headers, String body, int remotePort) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "receiver");
    t.setDaemon(true);
    return t;
  });
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<CountDownLatch> holds = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Answer fallback;

  private Receiver(Answer fallback) {
    this.fallback = fallback;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext("/", ex -> {
      try {
        byte[] body = ex.getRequestBody().readAllBytes();
        requests.add(new Request(Instant.now(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()),
            new String(body, StandardCharsets.UTF_8), ex.getRemoteAddress().getPort()));
        CountDownLatch hold = holds.poll();
        if (hold != null && !hold.await(2, TimeUnit.MINUTES)) {
          throw new IllegalStateException("a held request was never released");
        }
        Answer a = script.poll();
        answer(ex, a != null ? a : this.fallback);
      } catch (IOException | InterruptedException e) {
        // the client gave up (the point of slow answers) or the receiver is closing
      } finally {
        ex.close();
      }
    });
    server.start();
  }

  private static void answer(HttpExchange ex, Answer answer) throws IOException, InterruptedException {
    Thread.sleep(answer.delay().toMillis());
    answer.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
    boolean dribble = !answer.dribble().isZero() && !answer.dribble().isNegative();
    // length 0 means chunked: a dribbled body has no known end
    ex.sendResponseHeaders(answer.status(), dribble ? 0 : out.length == 0 ? -1 : out.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(out);
      o.flush();
      long end = System.nanoTime() + answer.dribble().toNanos();
      while (dribble && System.nanoTime() < end) {
        Thread.sleep(DRIBBLE_PAUSE.toMillis());
        o.write(' '); // whitespace: a client parsing XML or JSON keeps waiting for more
        o.flush();
      }
    }
  }

  /** A receiver answering {@code status} unless scripted otherwise. */
  public static Receiver answering(int status) {
    return new Receiver(Answer.of(status));
  }

  /** A receiver giving this answer unless scripted otherwise. */
  public static Receiver answering(Answer answer) {
    return new Receiver(answer);
  }

  public Receiver then(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  /**
   * Holds the answer to the next request (recorded at once, as always) until the returned latch is
   * counted down: the sender is then mid-request for as long as the test needs.
   */
  public CountDownLatch holdNext() {
    CountDownLatch release = new CountDownLatch(1);
    holds.add(release);
    return release;
  }

  public void answerFromNowOn(int status) {
    fallback = Answer.of(status);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public URI uri() {
    return URI.create(url("/"));
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Stops listening and interrupts every answer still being sent. */
  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
