package io.spacecrab.notify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Posts alert bodies, safely: the destination is checked against the {@link DestinationPolicy}
 * (host resolved) right before every request; redirects are never followed (a 3xx fails with
 * "redirect refused"); connect, header and whole-exchange deadlines apply, so a server that
 * dribbles bytes cannot hold a delivery; a success body is not read (an empty one leaves the
 * connection open for the next request, the first byte of any other closes it) and an error body
 * is read up to a cap. Never throws for a delivery failure: the {@link DeliveryResult} says what
 * happened in words that contain neither the URL's path nor any exception message. No proxy
 * is used, so the address checked is the address connected to; the JVM's address cache (30 s
 * by default) is shared by the check and the connection. One instance owns one JDK HTTP client
 * (its selector thread and connection pool): keep it for many requests, {@link #close()} it after.
 */
public final class OutboundHttp implements AutoCloseable {
  static final int SNIPPET_MAX = 200;
  private static final Pattern URL = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://\\S+");
  private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9+/=_-]{24,}");

  private final DestinationPolicy policy;
  private final OutboundLimits limits;
  private final Clock clock;
  private final HttpClient client;

  /** A poster with its own HTTP client; {@code clock} dates {@code Retry-After}. */
  public OutboundHttp(DestinationPolicy policy, OutboundLimits limits, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(limits.connectTimeout())
        .proxy(HttpClient.Builder.NO_PROXY)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /** A poster with the default limits and the system clock. */
  public OutboundHttp(DestinationPolicy policy) {
    this(policy, OutboundLimits.DEFAULTS, Clock.systemUTC());
  }

  /** Sends the request once and classifies the outcome; never throws for a failed delivery. */
  public DeliveryResult send(OutboundRequest request) {
    long deadline = System.nanoTime() + limits.deadline().toNanos();
    String destination = request.destination();
    DestinationPolicy.Decision decision = policy.check(request.uri());
    switch (decision.verdict()) {
      case REFUSED:
        return DeliveryResult.failed(0, "destination refused: " + decision.reason());
      case UNRESOLVED:
        return DeliveryResult.retry(0, Optional.empty(), decision.reason());
      default:
        break;
    }
    HttpRequest httpRequest;
    try {
      httpRequest = build(request);
    } catch (IllegalArgumentException e) {
      return DeliveryResult.failed(0, "the request to " + destination + " has an invalid header");
    }
    AtomicReference<HttpResponse.ResponseInfo> info = new AtomicReference<>();
    AtomicReference<CappedBody> body = new AtomicReference<>();
    CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(httpRequest, response -> {
      info.set(response);
      CappedBody subscriber =
          new CappedBody(isSuccess(response.statusCode()) ? 0 : limits.maxResponseBytes());
      body.set(subscriber);
      return subscriber;
    });
    try {
      HttpResponse<byte[]> response =
          future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return classify(response.statusCode(), response.headers().firstValue("Retry-After"),
          response.body(), "");
    } catch (TimeoutException e) {
      abort(future, body.get());
      if (info.get() != null) {
        return classify(info.get(), body.get(), " (response body cut off at the deadline)");
      }
      return DeliveryResult.retry(0, Optional.empty(),
          "no response from " + destination + " within " + seconds(limits.deadline()));
    } catch (ExecutionException e) {
      if (info.get() != null) {
        return classify(info.get(), body.get(), " (response body broken off)");
      }
      return fromException(e.getCause(), destination);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(future, body.get());
      return DeliveryResult.retry(0, Optional.empty(), "interrupted before a response arrived");
    }
  }

  /**
   * Lets the HTTP client go: closed at once where the JDK can close one (Java 21 and later; an
   * exchange still running finishes first), otherwise released to the JDK, which stops its
   * selector thread and connections once nothing refers to it. Idempotent.
   */
  @Override
  public void close() {
    Object http = client;
    if (http instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // nothing left to do for a client that failed to close
      }
    }
  }

  @Override
  public String toString() {
    return "OutboundHttp[" + policy + ", " + limits + "]";
  }

  private HttpRequest build(OutboundRequest request) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
        .timeout(limits.readTimeout())
        .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
    boolean contentType = false;
    boolean userAgent = false;
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
      contentType |= header.getKey().equalsIgnoreCase("Content-Type");
      userAgent |= header.getKey().equalsIgnoreCase("User-Agent");
    }
    if (!contentType) {
      builder.header("Content-Type", "application/json");
    }
    if (!userAgent) {
      builder.header("User-Agent", "SpaceCrab-notifier");
    }
    return builder.build();
  }

  private DeliveryResult classify(HttpResponse.ResponseInfo info, CappedBody body, String note) {
    return classify(info.statusCode(), info.headers().firstValue("Retry-After"),
        body == null ? new byte[0] : body.received(), note);
  }

  private DeliveryResult classify(int status, Optional<String> retryAfterHeader, byte[] body,
      String note) {
    Optional<Duration> retryAfter = retryAfterHeader.flatMap(h -> RetryAfter.parse(h, clock));
    if (isSuccess(status)) {
      return DeliveryResult.success(status);
    }
    if (status >= 300 && status < 400) {
      return new DeliveryResult(DeliveryResult.Outcome.FAILED_PERMANENTLY, status, retryAfter,
          "redirect refused (HTTP " + status + ")");
    }
    String error = "HTTP " + status + snippet(body) + note;
    if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
      return DeliveryResult.retry(status, retryAfter, error);
    }
    if (status >= 400 && status < 500) {
      return new DeliveryResult(DeliveryResult.Outcome.FAILED_PERMANENTLY, status, retryAfter,
          error);
    }
    return DeliveryResult.failed(status, "unexpected HTTP status " + status);
  }

  private DeliveryResult fromException(Throwable cause, String destination) {
    Throwable t = cause;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof HttpConnectTimeoutException) {
      return DeliveryResult.retry(0, Optional.empty(), "connecting to " + destination
          + " timed out after " + seconds(limits.connectTimeout()));
    }
    if (t instanceof HttpTimeoutException) {
      return DeliveryResult.retry(0, Optional.empty(), "no response headers from " + destination
          + " within " + seconds(limits.readTimeout()));
    }
    if (t instanceof ConnectException) {
      return DeliveryResult.retry(0, Optional.empty(), "could not connect to " + destination);
    }
    if (t instanceof SSLException) {
      return DeliveryResult.retry(0, Optional.empty(), "TLS with " + destination + " failed");
    }
    if (t instanceof IOException) {
      return DeliveryResult.retry(0, Optional.empty(), "connection to " + destination
          + " failed (" + t.getClass().getSimpleName() + ")");
    }
    return DeliveryResult.failed(0, "request to " + destination + " failed ("
        + t.getClass().getSimpleName() + ")");
  }

  private static void abort(CompletableFuture<?> future, CappedBody body) {
    future.cancel(true);
    if (body != null) {
      body.abort();
    }
  }

  private static boolean isSuccess(int status) {
    return status >= 200 && status < 300;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** The start of an error body, one line, without anything that looks like a URL or a key. */
  static String snippet(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String text = new String(body, 0, Math.min(body.length, SNIPPET_MAX * 4),
        StandardCharsets.UTF_8);
    text = CleanText.line(text, SNIPPET_MAX * 2);
    text = URL.matcher(text).replaceAll("[url]");
    text = TOKEN_LIKE.matcher(text).replaceAll("[redacted]");
    text = CleanText.cut(text, SNIPPET_MAX);
    return text.isEmpty() ? "" : ": " + text;
  }

  /** Collects at most {@code cap} bytes of a body, then cancels the rest (closing the stream). */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int cap;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    CappedBody(int cap) {
      this.cap = cap;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (cap == 0) {
        // not read: the exchange is over now; an empty body still ends normally, which keeps the
        // connection for the next request, and the first byte of any other closes it (onNext)
        result.complete(new byte[0]);
      }
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        if (buffers.stream().anyMatch(ByteBuffer::hasRemaining)) {
          subscription.cancel();
        } else {
          subscription.request(1);
        }
        return;
      }
      synchronized (bytes) {
        for (ByteBuffer buffer : buffers) {
          int n = Math.min(buffer.remaining(), cap - bytes.size());
          byte[] chunk = new byte[n];
          buffer.get(chunk);
          bytes.write(chunk, 0, n);
        }
      }
      if (bytes.size() >= cap) {
        subscription.cancel();
        result.complete(received());
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.complete(received()); // the status decides; the body is only for the error text
    }

    @Override
    public void onComplete() {
      result.complete(received());
    }

    @Override
    public CompletableFuture<byte[]> getBody() {
      return result;
    }

    byte[] received() {
      synchronized (bytes) {
        return bytes.toByteArray();
      }
    }

    void abort() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }
}
