package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.testing.RealServerFixture;
import io.spacecrab.testing.Tokens;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Alert writing against a real API server, which enforces optimistic concurrency (the mock server
 * accepts stale writes): concurrent writers of one incident, and the detector's mark on a HoneyToken
 * against the operator's status writes (server-side apply on).
 */
class RealServerAlertIT {
  static final Duration QUIET = Duration.ofHours(1);
  RealServerFixture world;
  final List<KubernetesClient> clients = new ArrayList<>();

  @AfterEach
  void tearDown() {
    clients.forEach(KubernetesClient::close);
    if (world != null) {
      world.close();
    }
  }

  @Test
  void aStaleAlertUpdateGetsARealConflict() {
    world = RealServerFixture.withoutOperator();
    String alerts = world.namespace("alerts");
    RegistryRecord token = ghostToken(alerts);
    writer(world.client(), alerts).record(token, List.of(use(token, "evt-0", 0)));
    HoneyTokenAlert stale = onlyAlert(alerts);

    writer(world.client(), alerts).record(token, List.of(use(token, "evt-1", 1)));
    stale.getSpec().setEventCount(99L);
    assertThatThrownBy(() -> world.client().resource(stale).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getMessage()).contains("the object has been modified");
        });
    assertThat(onlyAlert(alerts).getSpec().getEventCount()).isEqualTo(2);
  }

  /** Writer A reads, writer B writes, then A writes its stale copy: A gets 409, re-reads, and both uses count. */
  @Test
  void aWriterThatLosesTheRaceReReadsAndBothUsesCount() throws Exception {
    world = RealServerFixture.withoutOperator();
    String alerts = world.namespace("alerts");
    RegistryRecord token = ghostToken(alerts);
    writer(world.client(), alerts).record(token, List.of(use(token, "evt-0", 0)));

    CountDownLatch aHeld = new CountDownLatch(1);
    CountDownLatch bWrote = new CountDownLatch(1);
    AtomicBoolean holdOnce = new AtomicBoolean(true);
    StatusCodes aCodes = new StatusCodes() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (isAlertPut(request) && holdOnce.compareAndSet(true, false)) {
          aHeld.countDown();
          awaitLatch(bWrote);
        }
      }
    };
    StatusCodes bCodes = new StatusCodes() {
      @Override
      public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        super.after(request, response, consumer);
        if (isAlertPut(request) && response.code() == 200) {
          bWrote.countDown();
        }
      }
    };
    AlertWriter a = writer(client(aCodes), alerts);
    AlertWriter b = writer(client(bCodes), alerts);

    CompletableFuture<Integer> aCounted = CompletableFuture.supplyAsync(
        () -> a.record(token, List.of(use(token, "evt-a", 2))));
    assertThat(aHeld.await(30, TimeUnit.SECONDS)).as("writer A read the alert and is about to write").isTrue();
    assertThat(b.record(token, List.of(use(token, "evt-b", 3)))).isEqualTo(1);
    assertThat(aCounted.get(30, TimeUnit.SECONDS)).isEqualTo(1);

    assertThat(aCodes.alertPuts()).as("writer A's alert updates: the stale one refused, then the re-read one")
        .containsExactly(409, 200);
    HoneyTokenAlert alert = onlyAlert(alerts);
    assertThat(alert.getSpec().getEventCount()).isEqualTo(3);
    assertThat(alert.getSpec().getSeenEventIDs()).containsExactlyInAnyOrder("evt-0", "evt-a", "evt-b");
  }

  /** Two writers, four threads, overlapping events: every distinct event counted exactly once. */
  @Test
  void concurrentWritersOfOneIncidentCountEveryDistinctUseOnce() throws Exception {
    world = RealServerFixture.withoutOperator();
    String alerts = world.namespace("alerts");
    RegistryRecord token = ghostToken(alerts);
    StatusCodes codes = new StatusCodes();
    List<AlertWriter> writers = List.of(writer(client(codes), alerts), writer(client(codes), alerts));

    int distinct = 24;
    List<Runnable> jobs = new ArrayList<>();
    for (int i = 0; i < distinct; i++) {
      TokenMatch m = use(token, "evt-" + i, i);
      // every use is recorded by both writers, as two detectors given the same file would
      jobs.add(() -> writers.get(0).record(token, List.of(m)));
      jobs.add(() -> writers.get(1).record(token, List.of(m)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (Runnable job : jobs) {
        done.add(pool.submit(() -> {
          awaitLatch(go);
          job.run();
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    HoneyTokenAlert alert = onlyAlert(alerts);
    assertThat(alert.getSpec().getEventCount()).isEqualTo(distinct);
    assertThat(alert.getSpec().getSeenEventIDs()).doesNotHaveDuplicates().hasSize(distinct);
    System.out.println("[alert race] alert writes answered " + codes.all() + " (409 = a lost race, re-read)");
  }

  /**
   * Issue 12 items 16 and 17 on the real server (optimistic concurrency on Events too): two writers
   * record 24 uses of one incident in shuffled order; the incident has one KeyUsed Event, about its
   * alert, counting all 24 and naming the latest.
   */
  @Test
  void concurrentWritersKeepOneKeyUsedEventPerIncidentNamingTheLatestUse() throws Exception {
    world = RealServerFixture.withoutOperator();
    String alerts = world.namespace("alerts");
    RegistryRecord token = ghostToken(alerts);
    List<AlertWriter> writers = List.of(writer(client(new StatusCodes()), alerts),
        writer(client(new StatusCodes()), alerts));
    int uses = 24;
    List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, uses).boxed().toList());
    java.util.Collections.shuffle(order, new java.util.Random(16));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < order.size(); i++) {
        TokenMatch m = use(token, "evt-" + order.get(i), order.get(i) * 10);
        AlertWriter w = writers.get(i % 2);
        done.add(pool.submit(() -> w.record(token, List.of(m))));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    HoneyTokenAlert alert = onlyAlert(alerts);
    assertThat(alert.getSpec().getEventCount()).isEqualTo(uses);
    String latest = triggeredAt((uses - 1) * 10);
    List<io.fabric8.kubernetes.api.model.Event> keyUsed = world.client().v1().events().inNamespace(alerts).list()
        .getItems().stream().filter(e -> "KeyUsed".equals(e.getReason())).toList();
    assertThat(keyUsed).singleElement().satisfies(e -> {
      assertThat(e.getCount()).isEqualTo(uses);
      assertThat(e.getFirstTimestamp()).isEqualTo(triggeredAt(0));
      assertThat(e.getLastTimestamp()).isEqualTo(latest);
      assertThat(e.getMessage()).contains("s3:ListBuckets from 198.51.100." + ((uses - 1) * 10 % 250 + 1) + " at "
          + latest);
      assertThat(e.getInvolvedObject().getKind()).isEqualTo("HoneyTokenAlert");
      assertThat(e.getInvolvedObject().getName()).isEqualTo(alert.getMetadata().getName());
    });
  }

  /** The detector's mark, then a spec change: the operator's next status write keeps it. */
  @Test
  void lastTriggeredAtSurvivesTheOperatorsNextStatusWrite() {
    world = RealServerFixture.start();
    String ns = world.namespace("payments");
    HoneyToken ready = world.awaitReady(world.client().resource(Tokens.token(ns, "deploy", "aws-deploy")).create());
    RegistryRecord entry = world.registry.get(ready.getStatus().getAccessKeyId()).orElseThrow().withoutSecret();

    writer(world.client(), world.system).record(entry, List.of(use(entry, "evt-1", 0)));
    String triggeredAt = triggeredAt(0);
    HoneyToken marked = world.client().resource(ready).get();
    assertThat(marked.getStatus().getLastTriggeredAt()).isEqualTo(triggeredAt);
    assertTriggered(marked);

    HoneyToken changed = world.client().resources(HoneyToken.class).inNamespace(ns).withName("deploy").edit(t -> {
      t.getSpec().setOwner("payments-oncall");
      return t;
    });
    HoneyToken rewritten = world.awaitReady(changed);
    assertThat(rewritten.getStatus().getObservedGeneration()).isEqualTo(changed.getMetadata().getGeneration());
    assertThat(rewritten.getStatus().getLastTriggeredAt()).isEqualTo(triggeredAt);
    assertTriggered(rewritten);
  }

  /**
   * The same, with the detector's mark landing while the operator's status write is in flight
   * (computed from the token as it was before the mark). JOSDK's server-side apply is forced but
   * carries the resourceVersion it read, so the real server refuses it (409) instead of letting it
   * replace the conditions list (atomic in this CRD) without the Triggered condition; the
   * operator's retry, from the marked token, keeps the mark.
   */
  @Test
  void anOperatorStatusWriteComputedBeforeTheMarkIsRefusedAndTheMarkSurvives() throws Exception {
    CountDownLatch operatorHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean armed = new AtomicBoolean(false);
    List<Integer> statusWrites = java.util.Collections.synchronizedList(new ArrayList<>());
    Interceptor holdStatusApply = new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (isStatusPatch(request) && armed.compareAndSet(true, false)) {
          operatorHeld.countDown();
          awaitLatch(release);
        }
      }

      @Override
      public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        if (isStatusPatch(request) && operatorHeld.getCount() == 0) {
          statusWrites.add(response.code());
        }
      }

      private boolean isStatusPatch(HttpRequest request) {
        return "PATCH".equals(request.method()) && request.uri().getPath().endsWith("/honeytokens/deploy/status");
      }
    };
    world = RealServerFixture.start(List.of(holdStatusApply));
    String ns = world.namespace("payments");
    HoneyToken ready = world.awaitReady(world.client().resource(Tokens.token(ns, "deploy", "aws-deploy")).create());
    String readySince = Conditions.find(ready.getStatus().getConditions(), Conditions.READY).orElseThrow()
        .getLastTransitionTime();
    RegistryRecord entry = world.registry.get(ready.getStatus().getAccessKeyId()).orElseThrow().withoutSecret();

    armed.set(true);
    HoneyToken changed = world.client().resources(HoneyToken.class).inNamespace(ns).withName("deploy").edit(t -> {
      t.getSpec().setOwner("payments-oncall");
      return t;
    });
    assertThat(operatorHeld.await(30, TimeUnit.SECONDS)).as("the operator is writing the status").isTrue();
    writer(world.client(), world.system).record(entry, List.of(use(entry, "evt-1", 0)));
    assertTriggered(world.client().resource(ready).get());
    release.countDown();

    HoneyToken rewritten = world.awaitReady(changed);
    System.out.println("[status race] the operator's status writes from the held one on answered " + statusWrites);
    assertThat(statusWrites).as("the held write is refused, a later one lands").startsWith(409).endsWith(200);
    assertThat(rewritten.getStatus().getLastTriggeredAt()).isEqualTo(triggeredAt(0));
    assertTriggered(rewritten);
    assertThat(Conditions.find(rewritten.getStatus().getConditions(), Conditions.READY).orElseThrow()
        .getLastTransitionTime()).as("Ready never flipped").isEqualTo(readySince);
  }

  private static void assertTriggered(HoneyToken token) {
    assertThat(Conditions.find(token.getStatus().getConditions(), Conditions.TRIGGERED))
        .as("Triggered condition in %s", token.getStatus().getConditions())
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(Conditions.find(token.getStatus().getConditions(), Conditions.READY))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
  }

  private HoneyTokenAlert onlyAlert(String namespace) {
    List<HoneyTokenAlert> items = world.client().resources(HoneyTokenAlert.class).inNamespace(namespace).list()
        .getItems();
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  private KubernetesClient client(Interceptor interceptor) {
    KubernetesClient c = world.cluster.newClient(b -> b.withHttpClientBuilderConsumer(
        h -> h.addOrReplaceInterceptor("test", interceptor)));
    clients.add(c);
    return c;
  }

  private static AlertWriter writer(KubernetesClient client, String alertNamespace) {
    return new AlertWriter(client, alertNamespace, QUIET, new EventRecorder(client, "spacecrab-detector",
        java.util.Set.of(alertNamespace), EventRecorder.pod(alertNamespace)),
        Clock.systemUTC());
  }

  /** A token without a HoneyToken object: alerts only, no status to mark. */
  private static RegistryRecord ghostToken(String namespace) {
    return new RegistryRecord("AKIAGHOST00000000001", "AIDAGHOST00000000001", "svc-ghost",
        "arn:aws:iam::123456789012:user/svc-ghost", "test-cluster", namespace, "ghost", UUID.randomUUID().toString(), "oncall",
        "here", "notes", null, RegistryState.Active, null, null);
  }

  private static final Instant BASE = Instant.parse("2026-11-30T21:00:00Z");

  private static String triggeredAt(int second) {
    return BASE.plusSeconds(second).toString();
  }

  private static TokenMatch use(RegistryRecord token, String eventId, int second) {
    return new TokenMatch(token, new CloudTrailRecord(eventId, triggeredAt(second), "s3.amazonaws.com",
        "ListBuckets", "us-east-1", "198.51.100." + (second % 250 + 1), "aws-cli/2", null, "IAMUser",
        token.principalId(), token.userArn(), "123456789012", token.accessKeyId(), token.userName(), null),
        TokenMatch.MatchedBy.ACCESS_KEY_ID);
  }

  private static boolean isAlertPut(HttpRequest request) {
    return "PUT".equals(request.method()) && request.uri().getPath().contains("/honeytokenalerts/");
  }

  static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Records the status code of every alert write (POST or PUT) a client made. */
  static class StatusCodes implements Interceptor {
    private final List<String> codes = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
      if (request.uri().getPath().contains("/honeytokenalerts")
          && ("PUT".equals(request.method()) || "POST".equals(request.method()))) {
        codes.add(request.method() + " " + response.code());
      }
    }

    List<Integer> alertPuts() {
      synchronized (codes) {
        return codes.stream().filter(c -> c.startsWith("PUT ")).map(c -> Integer.parseInt(c.substring(4))).toList();
      }
    }

    Set<String> all() {
      synchronized (codes) {
        Set<String> kinds = new TreeSet<>();
        for (String c : codes) {
          kinds.add(c + " x" + codes.stream().filter(c::equals).count());
        }
        return kinds;
      }
    }
  }
}
