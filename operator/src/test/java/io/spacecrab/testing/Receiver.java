package io.spacecrab.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real local HTTP server standing in for PagerDuty, Slack or a webhook receiver: answers with
 * the scripted responses in order (then the default), and records every request.
 */
public final class Receiver implements AutoCloseable {
  /** One scripted answer. */
  public record Answer(int status, Map<String, String> headers, String body) {
    public static Answer of(int status) {
      return new Answer(status, Map.of(), "");
    }
  }

  /** One request as received. */
  public record Request(Instant at, String path, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Answer fallback;

  private Receiver(Answer fallback) {
    this.fallback = fallback;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      requests.add(new Request(Instant.now(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()),
          new String(body, StandardCharsets.UTF_8)));
      Answer a = script.poll();
      Answer answer = a != null ? a : this.fallback;
      answer.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    });
    server.start();
  }

  /** A receiver answering {@code status} unless scripted otherwise. */
  public static Receiver answering(int status) {
    return new Receiver(Answer.of(status));
  }

  public Receiver then(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  public void answerFromNowOn(int status) {
    fallback = Answer.of(status);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
