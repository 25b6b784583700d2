package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.spacecrab.notify.DeliveryResult.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.spacecrab.testing.OwnJvm;

/** Delivery against real HTTP servers on loopback (allowed by an explicit allow-list entry). */
@OwnJvm
class OutboundHttpTest {
  static final Instant NOW = Instant.parse("2015-10-21T07:27:00Z");
  /** Short limits, for the tests about timeouts and deadlines. */
  static final OutboundLimits LIMITS = new OutboundLimits(Duration.ofSeconds(1),
      Duration.ofMillis(500), Duration.ofMillis(1500), 64 * 1024);
  /** Limits a loaded 2-core test machine never reaches on loopback, for every other test. */
  static final OutboundLimits GENEROUS = new OutboundLimits(Duration.ofSeconds(10),
      Duration.ofSeconds(10), Duration.ofSeconds(30), 64 * 1024);
  static final byte[] BODY = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
  static final String SECRET_PATH = "/services/T0AAAAAAA/B0BBBBBBB/SECRETSECRETSECRET0123";

  private HttpServer server;
  private ExecutorService serverThreads;
  private final CountDownLatch release = new CountDownLatch(1);
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final AtomicLong hugeBytesWritten = new AtomicLong();
  private final AtomicReference<Map<String, List<String>>> receivedHeaders = new AtomicReference<>();
  private final AtomicReference<byte[]> receivedBody = new AtomicReference<>();
  private OutboundHttp http;
  private final List<Integer> clientPorts = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    serverThreads = Executors.newCachedThreadPool();
    server.setExecutor(serverThreads);
    handle("/ok", ex -> {
      receivedHeaders.set(Map.copyOf(ex.getRequestHeaders()));
      receivedBody.set(ex.getRequestBody().readAllBytes());
      respond(ex, 200, "ok");
    });
    handle("/empty", ex -> {
      clientPorts.add(ex.getRemoteAddress().getPort());
      respond(ex, 204, "");
    });
    handle("/accepted", ex -> respond(ex, 202,
        "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"k\"}"));
    handle("/bad", ex -> respond(ex, 400, "invalid_payload"));
    handle("/limited", ex -> {
      ex.getResponseHeaders().set("Retry-After", "7");
      respond(ex, 429, "rate_limited");
    });
    handle("/limited-until", ex -> {
      ex.getResponseHeaders().set("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
      respond(ex, 503, "");
    });
    handle("/error", ex -> respond(ex, 500, "internal error"));
    handle("/not-found", ex -> respond(ex, 404, "no_service"));
    handle("/slow", ex -> {
      await(release);
      respond(ex, 200, "late");
    });
    handle("/dribble-error", ex -> dribble(ex, 500));
    handle("/dribble-ok", ex -> dribble(ex, 200));
    handle("/huge-error", ex -> huge(ex, 400));
    handle("/huge-ok", ex -> huge(ex, 200));
    handle("/redirect-metadata", ex -> redirect(ex, "http://169.254.169.254/latest/meta-data/"));
    handle("/redirect-local", ex -> redirect(ex, "http://127.0.0.1:" + port() + "/second"));
    handle("/second", ex -> respond(ex, 200, "should never be reached"));
    handle("/echo", ex -> respond(ex, 400, "bad request to " + ex.getRequestURI() + " body "
        + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
    handle(SECRET_PATH, ex -> respond(ex, 401, "invalid_token"));
    server.start();
    http = new OutboundHttp(new DestinationPolicy(true, List.of("127.0.0.1")), GENEROUS,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    release.countDown();
    server.stop(0);
    serverThreads.shutdownNow();
    serverThreads.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void twoHundredIsSuccessAndTheServerGetsTheExactBodyAndHeaders() {
    DeliveryResult result = http.send(request("/ok", Map.of("webhook-id", "hta-1")));

    assertThat(result).isEqualTo(new DeliveryResult(Outcome.SUCCESS, 200, Optional.empty(), null));
    assertThat(receivedBody.get()).isEqualTo(BODY);
    assertThat(receivedHeaders.get()).containsEntry("Webhook-id", List.of("hta-1"))
        .containsEntry("Content-type", List.of("application/json"));
  }

  /** One poster keeps its connection: an empty success body ends the exchange cleanly. */
  @Test
  void consecutiveRequestsTravelOverOneConnection() {
    for (int i = 0; i < 5; i++) {
      assertThat(http.send(request("/empty")).outcome()).isEqualTo(Outcome.SUCCESS);
    }

    assertThat(clientPorts).hasSize(5);
    assertThat(Set.copyOf(clientPorts)).as("client ports of five requests").hasSize(1);
  }

  @Test
  void pagerDutyTwoHundredTwoIsSuccess() {
    byte[] event = PagerDutyEvent.trigger(PagerDutyEventTest.ROUTING_KEY, AlertFixtures.sample(),
        PagerDutyEvent.Severity.CRITICAL).body();

    DeliveryResult result = http.send(new OutboundRequest(uri("/accepted"), Map.of(), event));

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(result.httpStatus()).isEqualTo(202);
  }

  @Test
  void signedWebhookVerifiesAtTheReceiverWithAnIndependentImplementation() {
    StandardWebhookSigner signer = new StandardWebhookSigner(
        List.of(StandardWebhookSignerTest.OLD_SECRET, StandardWebhookSignerTest.NEW_SECRET));
    byte[] body = WebhookPayload.of(AlertFixtures.hostile(), NotificationKind.OPENED,
        AlertFixtures.LAST).body();
    Instant sentAt = Instant.now();

    DeliveryResult result = http.send(new OutboundRequest(uri("/ok"),
        signer.headers("payments-db-creds-3f9a1c2b-1", sentAt, body), body));

    assertThat(result.delivered()).isTrue();
    Map<String, String> headers = Map.of(
        "webhook-id", receivedHeaders.get().get("Webhook-id").get(0),
        "webhook-timestamp", receivedHeaders.get().get("Webhook-timestamp").get(0),
        "webhook-signature", receivedHeaders.get().get("Webhook-signature").get(0));
    assertThat(StandardWebhookSignerTest.IndependentVerifier.verify(
        StandardWebhookSignerTest.NEW_SECRET, headers, receivedBody.get(), sentAt)).isTrue();
    assertThat(StandardWebhookSignerTest.IndependentVerifier.verify(
        StandardWebhookSignerTest.OLD_SECRET, headers, receivedBody.get(), sentAt)).isTrue();
  }

  @Test
  void fourHundredFailsPermanentlyWithTheServersShortReason() {
    DeliveryResult result = http.send(request("/bad"));

    assertThat(result).isEqualTo(new DeliveryResult(Outcome.FAILED_PERMANENTLY, 400,
        Optional.empty(), "HTTP 400: invalid_payload"));
    assertThat(http.send(request("/not-found")).outcome()).isEqualTo(Outcome.FAILED_PERMANENTLY);
  }

  @Test
  void fourTwentyNineRetriesAfterTheSecondsTheServerAskedFor() {
    DeliveryResult result = http.send(request("/limited"));

    assertThat(result.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(result.httpStatus()).isEqualTo(429);
    assertThat(result.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(result.error()).isEqualTo("HTTP 429: rate_limited");
  }

  @Test
  void retryAfterAsAnHttpDateIsMeasuredFromTheClock() {
    DeliveryResult result = http.send(request("/limited-until"));

    assertThat(result.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(result.retryAfter()).contains(Duration.ofSeconds(60));
  }

  @Test
  void fiveHundredRetries() {
    DeliveryResult result = http.send(request("/error"));

    assertThat(result).isEqualTo(new DeliveryResult(Outcome.RETRY, 500, Optional.empty(),
        "HTTP 500: internal error"));
  }

  @Test
  void noResponseHeadersInTimeRetries() {
    long start = System.nanoTime();
    DeliveryResult result = impatient().send(request("/slow"));

    assertThat(result.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(result.httpStatus()).isZero();
    assertThat(result.error()).isIn("no response headers from http://127.0.0.1 within 500 ms",
        "no response from http://127.0.0.1 within 1500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void slowlyDribbledErrorBodyIsCutOffAtTheDeadline() {
    long start = System.nanoTime();
    DeliveryResult result = impatient().send(request("/dribble-error"));

    assertThat(result.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(result.httpStatus()).isEqualTo(500);
    assertThat(result.error()).startsWith("HTTP 500: xxx")
        .endsWith("(response body cut off at the deadline)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void slowlyDribbledSuccessBodyIsNotWaitedFor() {
    long start = System.nanoTime();

    DeliveryResult result = patient().send(request("/dribble-ok"));

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void hugeErrorBodyIsReadOnlyUpToTheCap() {
    DeliveryResult result = patient().send(request("/huge-error"));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED_PERMANENTLY);
    assertThat(result.error()).startsWith("HTTP 400: too big too big").doesNotContain("deadline")
        .hasSizeLessThan(OutboundHttp.SNIPPET_MAX + 20);
    assertHugeBodyAbandoned();
  }

  @Test
  void hugeSuccessBodyIsNotRead() {
    assertThat(patient().send(request("/huge-ok")).outcome()).isEqualTo(Outcome.SUCCESS);
    assertHugeBodyAbandoned();
  }

  @Test
  void redirectToTheMetadataAddressIsRefusedNotFollowed() {
    DeliveryResult result = http.send(request("/redirect-metadata"));

    assertThat(result).isEqualTo(new DeliveryResult(Outcome.FAILED_PERMANENTLY, 302,
        Optional.empty(), "redirect refused (HTTP 302)"));
  }

  @Test
  void redirectToAnotherEndpointIsNeverFollowed() {
    DeliveryResult result = http.send(request("/redirect-local"));

    assertThat(result.error()).isEqualTo("redirect refused (HTTP 302)");
    assertThat(hits.get("/redirect-local").get()).isEqualTo(1);
    assertThat(hits.get("/second").get()).isZero();
  }

  @Test
  void refusedDestinationIsNeverContacted() {
    OutboundHttp strict = new OutboundHttp(DestinationPolicy.publicHttpsOnly(), LIMITS,
        Clock.systemUTC());
    OutboundHttp httpButNoAllowList = new OutboundHttp(new DestinationPolicy(true, List.of()),
        LIMITS, Clock.systemUTC());

    DeliveryResult plainHttp = strict.send(request("/ok"));
    DeliveryResult loopback = httpButNoAllowList.send(request("/ok"));

    assertThat(plainHttp.outcome()).isEqualTo(Outcome.FAILED_PERMANENTLY);
    assertThat(plainHttp.error()).isEqualTo(
        "destination refused: plain http is not allowed for http://127.0.0.1: use https");
    assertThat(loopback.outcome()).isEqualTo(Outcome.FAILED_PERMANENTLY);
    assertThat(loopback.error()).isEqualTo("destination refused: http://127.0.0.1 resolves to"
        + " loopback address 127.0.0.1; allow-list it to send there");
    assertThat(hits.get("/ok").get()).isZero();
  }

  @Test
  void connectionRefusedRetries() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    DeliveryResult result = http.send(new OutboundRequest(
        URI.create("http://127.0.0.1:" + closedPort + SECRET_PATH), Map.of(), BODY));

    assertThat(result.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(result.error()).isEqualTo("could not connect to http://127.0.0.1");
  }

  @Test
  void noResultOrToStringShowsTheUrlPathOrWhatTheServerEchoes() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    byte[] pagerDuty = PagerDutyEvent.trigger(PagerDutyEventTest.ROUTING_KEY,
        AlertFixtures.sample(), PagerDutyEvent.Severity.CRITICAL).body();
    List<OutboundRequest> requests = List.of(
        new OutboundRequest(uri(SECRET_PATH), Map.of(), BODY),
        new OutboundRequest(URI.create(uri("/echo") + "?token=QUERYSECRETQUERYSECRET"),
            Map.of(), pagerDuty),
        new OutboundRequest(URI.create("http://127.0.0.1:" + closedPort + SECRET_PATH), Map.of(),
            BODY),
        new OutboundRequest(URI.create("https://127.0.0.1:" + port() + SECRET_PATH), Map.of(),
            BODY),
        new OutboundRequest(URI.create("http://10.0.0.1" + SECRET_PATH), Map.of(), BODY),
        new OutboundRequest(URI.create("http://nowhere.invalid" + SECRET_PATH), Map.of(), BODY));

    for (OutboundRequest request : requests) {
      DeliveryResult result = http.send(request);
      assertThat(result.outcome()).as(request.toString()).isNotEqualTo(Outcome.SUCCESS);
      for (String shown : List.of(result.error(), result.toString(), request.toString())) {
        assertThat(shown).as(request.toString())
            .doesNotContain("SECRETSECRET").doesNotContain("/services")
            .doesNotContain("QUERYSECRET").doesNotContain(PagerDutyEventTest.ROUTING_KEY);
      }
    }
    assertThat(hits.get("/echo").get()).isEqualTo(1);
  }

  @Test
  void malformedUrlIsRefusedWithoutEchoingIt() {
    for (String url : List.of("https://hooks.slack.com/services/SECRET SECRET",
        "not a url SECRET", "/relative/SECRET", "")) {
      assertThatThrownBy(() -> OutboundRequest.post(url, Map.of(), BODY))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> {
            assertThat(e.getMessage()).doesNotContain("SECRET");
            assertThat(e.getCause()).isNull();
          });
    }
  }

  @Test
  void errorSnippetHidesUrlsAndKeyLikeRuns() {
    assertThat(OutboundHttp.snippet(("see https://x.example/a/b?c=d and key "
        + "abcdefghijklmnopqrstuvwxyz012345 please\r\n").getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(": see [url] and key [redacted] please");
    assertThat(OutboundHttp.snippet(new byte[0])).isEmpty();
  }

  private void assertHugeBodyAbandoned() {
    // the server's write fails once the client closes the connection
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> hits.get("/huge-done") != null);
    assertThat(hugeBytesWritten.get()).isLessThan(HUGE_BYTES);
  }

  static final long HUGE_BYTES = 512L * 1024 * 1024;

  private void huge(HttpExchange ex, int status) throws IOException {
    ex.sendResponseHeaders(status, 0);
    byte[] chunk = "too big ".repeat(8 * 1024).getBytes(StandardCharsets.US_ASCII);
    try (OutputStream out = ex.getResponseBody()) {
      while (hugeBytesWritten.get() < HUGE_BYTES) {
        out.write(chunk);
        hugeBytesWritten.addAndGet(chunk.length);
      }
    } finally {
      hits.computeIfAbsent("/huge-done", k -> new AtomicInteger()).incrementAndGet();
    }
  }

  private void dribble(HttpExchange ex, int status) throws IOException {
    ex.sendResponseHeaders(status, 0);
    try (OutputStream out = ex.getResponseBody()) {
      for (int i = 0; i < 600 && release.getCount() > 0; i++) {
        out.write('x');
        out.flush();
        await(release, 100);
      }
    }
  }

  private static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    respond(ex, 302, "");
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void handle(String path, HttpHandler handler) {
    hits.put(path, new AtomicInteger());
    server.createContext(path, ex -> {
      if (ex.getRequestURI().getPath().equals(path)) {
        hits.get(path).incrementAndGet();
      }
      try {
        handler.handle(ex);
      } finally {
        ex.close();
      }
    });
  }

  private static void await(CountDownLatch latch) {
    await(latch, 10_000);
  }

  private static void await(CountDownLatch latch, long millis) {
    try {
      latch.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A client with a 30 s deadline: reading a 60 s dribble or a 512 MiB body would show. */
  private static OutboundHttp impatient() {
    return new OutboundHttp(new DestinationPolicy(true, List.of("127.0.0.1")), LIMITS, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static OutboundHttp patient() {
    return new OutboundHttp(new DestinationPolicy(true, List.of("127.0.0.1")),
        new OutboundLimits(Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(30),
            64 * 1024), Clock.systemUTC());
  }

  private int port() {
    return server.getAddress().getPort();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  private OutboundRequest request(String path) {
    return request(path, Map.of());
  }

  private OutboundRequest request(String path, Map<String, String> headers) {
    return new OutboundRequest(uri(path), headers, BODY);
  }
}
