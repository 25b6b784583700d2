package io.spacecrab.token;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.ClusterHoneyToken;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.SecretTarget;
import io.spacecrab.api.v1alpha1.TemplateMetadata;
import io.spacecrab.testing.AwsCallRecorder;
import io.spacecrab.testing.IndexedCrudDispatcher;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorProcess;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.Tokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * {@code make bench-rollout} (also part of {@code make bench}): the ClusterHoneyToken figures of
 * issue #5, measured on real peers. A main, not a test.
 *
 * <ul>
 *   <li>AWS is the moto server; every AWS request passes through {@link AwsCallRecorder}, a TCP
 *       relay that timestamps each request where it arrives and forwards the bytes unchanged.
 *   <li>Kubernetes is fabric8's mock API server in CRUD mode with the generated CRDs; its
 *       dispatcher counts the operator's writes as they arrive (the operator presents its own
 *       bearer token) and indexes objects by name, see {@link IndexedCrudDispatcher} for why.
 *   <li>The operator is the jar's entry point in its own JVM ({@link OperatorProcess}), configured
 *       by flags, so that its heap is measured alone.
 * </ul>
 *
 * <p>Phase 1: {@code namespaces} namespaces exist, a ClusterHoneyToken selects a label, and the
 * label is put on all of them at once; measured: time until every HoneyToken is Ready, IAM calls
 * per second against the budget R, Kubernetes writes per token. Phase 2: the cluster grows to
 * {@code tokens} labelled namespaces, issued at {@code setup-rate}; measured: the operator's
 * heap after a full GC, then again with {@code unrelated} Secrets added that the operator does not
 * label. Phase 3: SIGTERM, a new operator with the same configuration; measured: IAM calls in the
 * first {@code window} seconds.
 *
 * <p>Arguments, all optional, as {@code key=value}: {@code namespaces=2000 rate=25 burst=1
 * tokens=10000 setup-rate=100 setup-burst=100 unrelated=20000 window=300 xmx=512m index=true
 * verify-index=false}; {@code tokens=0} runs phase 1 only. Arguments starting with {@code --} are
 * passed to every operator process as flags (e.g. {@code --reconcile-concurrency=8}).
 */
public final class RolloutBench {
  private static final String SELECT_KEY = "security.example.com/monitored";
  private static final String PARENT = "ci-credentials";
  private static final String BEARER = "rollout-bench-operator";
  private static final String NS_PREFIX = "team-";
  /** Operator logs: under operator/target when run from the repository root (make), else target. */
  private static final Path LOGS = (Path.of("operator", "target").toFile().isDirectory() ? Path.of("operator", "target")
      : Path.of("target")).resolve("rollout-bench");
  private static final long SECOND = 1_000_000_000L;
  /**
   * IAM reads of one re-check of a Ready token (docs/tokens.md: GetUser, ListUserPolicies, GetUserPolicy,
   * ListAttachedUserPolicies, ListGroupsForUser, ListAccessKeys, GetAccessKeyLastUsed).
   */
  private static final int RECHECK_IAM_CALLS = 7;

  private RolloutBench() {}

  public static void main(String[] args) throws Exception {
    Settings s = Settings.parse(args);
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    long benchStart = System.nanoTime();
    System.out.printf("%nClusterHoneyToken rollout bench (%d cores; operator JVM -Xmx%s -XX:+UseG1GC; moto %s;"
            + " fabric8 mock API server, CRUD mode%s)%n", Runtime.getRuntime().availableProcessors(), s.xmx,
        "5.2.5", s.index ? ", name index" : "");
    System.out.printf("  phase 1: %,d namespaces, --iam-calls-per-second=%s --iam-burst=%d; phase 2/3: %,d namespaces,"
            + " setup at --iam-calls-per-second=%s --iam-burst=%d, %,d unrelated Secrets, restart window %d s%s%n",
        s.namespaces, num(s.rate), s.burst, s.tokens, num(s.setupRate), s.setupBurst, s.unrelated,
        s.window.toSeconds(), s.operatorFlags.isEmpty() ? "" : "; operator flags " + String.join(" ", s.operatorFlags));

    WriteLog writes = new WriteLog();
    IndexedCrudDispatcher dispatcher = new IndexedCrudDispatcher(writes::observe, s.index, s.verifyIndex);
    try (MotoServer moto = MotoServer.start(); AwsCallRecorder aws = AwsCallRecorder.start(moto.endpoint());
        KubeApi kube = KubeApi.start(dispatcher)) {
      moto.reset();
      OperatorUnderTest.createRegistry(moto, OperatorUnderTest.config(moto));
      KubernetesClient client = kube.client();
      kube.createNamespace(OperatorUnderTest.NAMESPACE);
      TokenWatch tokens = new TokenWatch();
      SharedIndexInformer<HoneyToken> informer = client.resources(HoneyToken.class).inAnyNamespace().inform(tokens, 0);
      Bench bench = new Bench(s, moto, aws, kube, dispatcher, writes, tokens);

      try {
        bench.phase1();
        if (s.tokens > 0) {
          bench.phase2();
          bench.phase3();
        }
      } finally {
        bench.stopOperator();
      }
      informer.close();
      if (s.verifyIndex) {
        System.out.printf("  index check: %d lookups answered differently from the stock scan%n", dispatcher.mismatches());
      }
      System.out.printf("  bench wall time: %s (operator logs in %s)%n", minutes(System.nanoTime() - benchStart), LOGS);
    }
    System.exit(0);
  }

  /** The phases; state that one phase hands to the next lives here. */
  private static final class Bench {
    private final Settings s;
    private final MotoServer moto;
    private final AwsCallRecorder aws;
    private final KubeApi kube;
    private final IndexedCrudDispatcher dispatcher;
    private final WriteLog writes;
    private final TokenWatch tokens;
    private OperatorProcess operator;
    private int started;

    Bench(Settings s, MotoServer moto, AwsCallRecorder aws, KubeApi kube, IndexedCrudDispatcher dispatcher,
        WriteLog writes, TokenWatch tokens) {
      this.s = s;
      this.moto = moto;
      this.aws = aws;
      this.kube = kube;
      this.dispatcher = dispatcher;
      this.writes = writes;
      this.tokens = tokens;
    }

    void phase1() throws Exception {
      progress("phase 1: creating %,d namespaces", s.namespaces);
      parallel(s.namespaces, i -> createNamespace(i, false));
      operator = startOperator(s.rate, s.burst);
      kube.client().resource(clusterToken()).create();
      await("the ClusterHoneyToken's first status", Duration.ofMinutes(2), () -> {
        ClusterHoneyToken parent = kube.client().resources(ClusterHoneyToken.class).withName(PARENT).get();
        return parent.getStatus() != null && parent.getStatus().getObservedGeneration() != null;
      });

      progress("phase 1: labelling %,d namespaces", s.namespaces);
      Map<String, long[]> servedBefore = dispatcher.served();
      long t0 = System.nanoTime();
      parallel(s.namespaces, i -> kube.client().namespaces().withName(namespace(i))
          .edit(ns -> new NamespaceBuilder(ns).editMetadata().addToLabels(SELECT_KEY, "true").endMetadata().build()));
      long labelled = System.nanoTime();
      double expectedSeconds = s.namespaces * 7.0 / s.rate;
      await("all " + s.namespaces + " HoneyTokens Ready", Duration.ofSeconds(Math.max(600, (long) (4 * expectedSeconds))),
          () -> tokens.ready() >= s.namespaces);
      long allReady = tokens.lastReadyNanos();
      awaitQuiet(Duration.ofSeconds(5), Duration.ofSeconds(60));

      List<AwsCallRecorder.Call> iam = aws.calls("iam", t0, allReady + 1);
      long first = iam.get(0).nanos();
      long last = iam.get(iam.size() - 1).nanos();
      double busySeconds = (last - first) / 1e9;
      double mean = iam.size() / busySeconds;
      long[] times = iam.stream().mapToLong(AwsCallRecorder.Call::nanos).toArray();
      int maxSliding = maxInWindow(times, SECOND);
      int over = windowsAbove(times, SECOND, (int) Math.floor(s.rate) + 1);
      int[] fixed = fixedWindows(times, first, SECOND);
      int fullWindows = fixed.length - 1; // the last window is cut short by the end of the work
      int below = 0;
      for (int i = 0; i < fullWindows; i++) {
        below += fixed[i] < 0.9 * s.rate ? 1 : 0;
      }
      int maxFixed = Arrays.stream(fixed).max().orElse(0);
      Map<String, Integer> kinds = writes.byKind(t0, System.nanoTime());
      int events = kinds.getOrDefault("events", 0);
      int nonEvent = kinds.entrySet().stream().filter(e -> !e.getKey().equals("events")).mapToInt(Map.Entry::getValue).sum();
      Map<String, long[]> served = dispatcher.served();
      long heap = operator.heapUsedAfterFullGc();
      dumpCalls(iam, t0, LOGS.resolve("phase1-iam-calls.csv"));
      dumpAll(aws, t0, LOGS.resolve("phase1-aws-requests.csv"));

      System.out.printf("%nPhase 1: label %,d namespaces at once, R = %s IAM calls/s, burst %d%n", s.namespaces,
          num(s.rate), s.burst);
      row("labels applied (bench client, 4 threads)", "%.1f s", (labelled - t0) / 1e9);
      row("label start -> last HoneyToken created (by the ClusterHoneyToken)", "%.1f s",
          (tokens.lastAddedNanos() - t0) / 1e9);
      row("label start -> first HoneyToken Ready", "%.1f s", (tokens.firstReadyNanos() - t0) / 1e9);
      row("label start -> all " + String.format("%,d", s.namespaces) + " HoneyTokens Ready", "%.1f s  (%s)",
          (allReady - t0) / 1e9, minutes(allReady - t0));
      row("IAM calls, label start -> all Ready", "%,d (%.2f per token) %s", iam.size(),
          iam.size() / (double) s.namespaces, byAction(iam));
      row("IAM rate, mean over the busy period", "%.1f /s = %.1f %% of R over %.0f s (target >= 90 %%)  %s", mean,
          100 * mean / s.rate, busySeconds, verdict(mean >= 0.9 * s.rate));
      row("1 s windows (fixed, from the first call) below 0.9 R", "%d of %d", below, fullWindows);
      row("IAM calls in any 1 s window, max: sliding", "%d (target <= R+1 = %d)  %s", maxSliding,
          (int) Math.floor(s.rate) + 1, verdict(maxSliding <= s.rate + 1));
      row("  sliding windows (one starting at each call) above R+1", "%d of %,d", over, times.length);
      row("IAM calls in any 1 s window, max: fixed", "%d", maxFixed);
      row("Kubernetes writes per HoneyToken (no Events)", "%.2f (%,d writes)", nonEvent / (double) s.namespaces,
          nonEvent);
      for (Map.Entry<String, Integer> kind : kinds.entrySet()) {
        row("  " + kind.getKey() + (kind.getKey().equals("events") ? " (not counted above)" : ""),
            "%,d (%.2f per token)  %s", kind.getValue(), kind.getValue() / (double) s.namespaces,
            writes.methods(kind.getKey(), t0, System.nanoTime()));
      }
      row("operator heap after full GC, " + String.format("%,d", s.namespaces) + " tokens", "%.1f MiB",
          heap / 1048576.0);
      row("moto answer time, IAM (p50 / p90 / p99)", "%s", percentiles(aws.latencies(), "iam", t0, allReady));
      row("moto answer time, DynamoDB (p50 / p90 / p99)", "%s", percentiles(aws.latencies(), "dynamodb", t0, allReady));
      row("mock API server, all clients: requests and mean time inside", "%s", servedSince(servedBefore, served));
      StringBuilder trace = new StringBuilder();
      dispatcher.slow().forEach(r -> trace.append(String.format("%.3f %.1f %s%n", (r.startNanos() - t0) / 1e9,
          r.nanos() / 1e6, r.request())));
      java.nio.file.Files.writeString(LOGS.resolve("phase1-api-requests.txt"), trace);
      if (aws.unparsed() > 0) {
        row("AWS requests the relay could not delimit", "%d", aws.unparsed());
      }
      progress("phase 1 done; events recorded: %d", events);
    }

    void phase2() throws Exception {
      operator.stop();
      progress("phase 2: creating %,d more labelled namespaces", s.tokens - s.namespaces);
      parallel(s.tokens - s.namespaces, i -> createNamespace(s.namespaces + i, true));
      long t0 = System.nanoTime();
      operator = startOperator(s.setupRate, s.setupBurst);
      await("all " + s.tokens + " HoneyTokens Issued or AccountQuotaExceeded", Duration.ofMinutes(90),
          () -> tokens.settled() >= s.tokens);
      long settled = System.nanoTime();
      awaitQuiet(Duration.ofSeconds(10), Duration.ofMinutes(2));
      Map<String, Integer> reasons = tokens.reasons();
      long heapTokens = operator.heapUsedAfterFullGc();

      progress("phase 2: creating %,d unrelated Secrets", s.unrelated);
      parallel(s.unrelated, this::createUnrelatedSecret);
      awaitQuiet(Duration.ofSeconds(10), Duration.ofMinutes(2));
      long heapUnrelated = operator.heapUsedAfterFullGc();
      int secrets = kube.client().secrets().inAnyNamespace()
          .withLabel("app.kubernetes.io/component", "credentials").list().getItems().size();

      System.out.printf("%nPhase 2: %,d namespaces selected, operator restarted at --iam-calls-per-second=%s"
          + " --iam-burst=%d, -Xmx%s%n", s.tokens, num(s.setupRate), s.setupBurst, s.xmx);
      row("operator start -> every HoneyToken settled", "%s  (Ready reasons: %s)", minutes(settled - t0), reasons);
      row("IAM calls of that setup", "%,d %s", aws.calls("iam", t0, settled + 1).size(),
          byAction(aws.calls("iam", t0, settled + 1)));
      row("operator heap after full GC: " + String.format("%,d", tokens.count()) + " HoneyTokens, "
          + String.format("%,d", secrets) + " token Secrets, " + String.format("%,d", s.tokens + 1) + " namespaces",
          "%.1f MiB (target <= 256 MiB)  %s", heapTokens / 1048576.0, verdict(heapTokens <= 256L << 20));
      double growth = 100.0 * (heapUnrelated - heapTokens) / heapTokens;
      row("... with " + String.format("%,d", s.unrelated) + " unrelated Secrets added", "%.1f MiB (%+.1f %%, target <= 5 %%)  %s",
          heapUnrelated / 1048576.0, growth, verdict(growth <= 5));
    }

    void phase3() throws Exception {
      int ready = tokens.ready();
      long stopping = System.nanoTime();
      operator.stop();
      long stopped = System.nanoTime();
      long start = System.nanoTime(); // the window starts when the new process is launched
      operator = launchOperator(s.setupRate, s.setupBurst);
      operator.awaitStarted(s.window);
      long synced = System.nanoTime();
      long end = start + s.window.toNanos();
      progress("phase 3: operator restarted; counting IAM calls for %d s", s.window.toSeconds());
      while (System.nanoTime() < end) {
        operator.checkAlive();
        Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      }
      List<AwsCallRecorder.Call> iam = aws.calls("iam", start, end);
      Map<String, Integer> kinds = writes.byKind(start, end);
      long recheckSeconds = s.recheckInterval().toSeconds();
      double implied = (double) ready * RECHECK_IAM_CALLS * s.window.toSeconds() / recheckSeconds;
      operator.stop();

      System.out.printf("%nPhase 3: SIGTERM, new operator with the same flags, %,d HoneyTokens (%,d Ready)%n",
          tokens.count(), ready);
      row("SIGTERM -> exited", "%.1f s", (stopped - stopping) / 1e9);
      row("start -> informers synced (\"operator started\")", "%.1f s", (synced - start) / 1e9);
      row("IAM calls in the first " + s.window.toSeconds() + " s", "%,d %s", iam.size(), byAction(iam));
      if (s.window.toSeconds() > 60) {
        row("  of which in the first 60 s", "%,d", aws.calls("iam", start, start + 60 * SECOND).size());
      }
      row("implied by --recheck-interval " + s.recheckInterval() + " for the Ready tokens", "%.0f (%,d x %d calls x %d s / %d s)",
          implied, ready, RECHECK_IAM_CALLS, s.window.toSeconds(), recheckSeconds);
      row("Kubernetes writes in the window (no Events)", "%s", kinds.entrySet().stream()
          .filter(e -> !e.getKey().equals("events")).mapToInt(Map.Entry::getValue).sum() + " " + kinds);
    }

    void stopOperator() throws InterruptedException {
      if (operator != null) {
        try {
          operator.stop();
        } finally {
          operator.close();
        }
      }
    }

    private OperatorProcess startOperator(double rate, int burst) throws InterruptedException {
      OperatorProcess process = launchOperator(rate, burst);
      process.awaitStarted(Duration.ofMinutes(5));
      progress("operator %d started (pid %d, --iam-calls-per-second=%s --iam-burst=%d)", started, process.pid(),
          num(rate), burst);
      return process;
    }

    /** Starts an operator process with the bench's flags and this IAM budget, without waiting for it. */
    private OperatorProcess launchOperator(double rate, int burst) {
      List<String> flags = new ArrayList<>(List.of("--cluster-id=rollout-bench", "--aws-region=" + MotoServer.REGION,
          "--aws-endpoint=" + aws.endpoint(), "--registry-table=" + OperatorUnderTest.TABLE,
          "--namespace=" + OperatorUnderTest.NAMESPACE, "--iam-calls-per-second=" + num(rate),
          "--iam-burst=" + burst, "--metrics-port=0", "--server-side-apply=false",
          "--creation-spacing=PT0S", "--self-test-interval=PT0S")); // the bench measures tokens alone
      flags.addAll(s.operatorFlags); // later flags win
      var creds = moto.adminCredentials().resolveCredentials();
      started++;
      return OperatorProcess.start(kube.url(), BEARER, List.of("-Xmx" + s.xmx, "-XX:+UseG1GC"), flags,
          Map.of("AWS_ACCESS_KEY_ID", creds.accessKeyId(), "AWS_SECRET_ACCESS_KEY", creds.secretAccessKey()),
          LOGS.resolve("operator-" + started + ".log"));
    }

    private void createNamespace(int i, boolean labelled) {
      var meta = new ObjectMetaBuilder().withName(namespace(i)).addToLabels("team", "t" + (i % 50));
      if (labelled) {
        meta.addToLabels(SELECT_KEY, "true");
      }
      kube.client().namespaces().resource(new NamespaceBuilder().withMetadata(meta.build()).build()).create();
    }

    /** An ordinary application Secret without the operator's label, about the size of a token Secret. */
    private void createUnrelatedSecret(int i) {
      byte[] config = ("database:\n  host: db-" + i + ".internal\n  user: app\n  password: " + "x".repeat(40)
          + "\nfeatures: [a, b, c]\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      kube.client().secrets().inNamespace(namespace(i % s.tokens)).resource(new SecretBuilder()
          .withNewMetadata().withName("app-config-" + i).addToLabels("app", "web-" + (i % 20)).endMetadata()
          .withType("Opaque")
          .addToData("config.yaml", Base64.getEncoder().encodeToString(config))
          .addToData("api-key", Base64.getEncoder().encodeToString(("k-" + i + "-" + "y".repeat(60)).getBytes()))
          .build()).create();
    }

    /** Waits until neither the operator's Kubernetes writes nor AWS requests happened for {@code quiet}. */
    private void awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      while (System.nanoTime() < deadline) {
        operator.checkAlive();
        long last = Math.max(writes.lastNanos(), aws.lastNanos());
        if (System.nanoTime() - last >= quiet.toNanos()) {
          return;
        }
        Thread.sleep(200);
      }
      progress("still not quiet after %s; going on", max);
    }

    private void await(String what, Duration timeout, java.util.function.BooleanSupplier done)
        throws InterruptedException {
      long start = System.nanoTime();
      long deadline = start + timeout.toNanos();
      long nextReport = start + 30 * SECOND;
      while (!done.getAsBoolean()) {
        operator.checkAlive();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out after " + timeout + " waiting for " + what + "; tokens: "
              + tokens.reasons());
        }
        if (System.nanoTime() > nextReport) {
          progress("waiting for %s: %s, IAM calls so far %,d", what, tokens.reasons(), aws.calls("iam", 0,
              Long.MAX_VALUE).size());
          nextReport += 30 * SECOND;
        }
        Thread.sleep(200);
      }
    }
  }

  static ClusterHoneyToken clusterToken() {
    ClusterHoneyToken token = Tokens.clusterToken(PARENT, SELECT_KEY, "true", "aws-ci-credentials");
    TemplateMetadata metadata = new TemplateMetadata();
    metadata.setLabels(Map.of("team", "security"));
    token.getSpec().getTemplate().setMetadata(metadata);
    SecretTarget secret = token.getSpec().getTemplate().getSpec().getSecret();
    secret.setFormat("both");
    secret.setRegion("eu-west-1");
    return token;
  }

  static String namespace(int i) {
    return NS_PREFIX + String.format("%05d", i);
  }

  /** Runs task(0..n-1) on 4 threads (the bench's own client, as a burst of kubectl calls would). */
  static void parallel(int n, IntConsumer task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int first = t;
        futures.add(pool.submit(() -> {
          for (int i = first; i < n; i += 4) {
            task.accept(i);
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  /** The largest number of timestamps (sorted) in any half-open window [t, t + width). */
  static int maxInWindow(long[] sorted, long width) {
    int max = 0;
    int j = 0;
    for (int i = 0; i < sorted.length; i++) {
      // any window can slide right until it starts at a call without losing one: windows starting at calls suffice
      while (j < sorted.length && sorted[j] < sorted[i] + width) {
        j++;
      }
      max = Math.max(max, j - i);
    }
    return max;
  }

  /** How many windows [t_i, t_i + width), one starting at each timestamp, hold more than {@code limit}. */
  static int windowsAbove(long[] sorted, long width, int limit) {
    int count = 0;
    int j = 0;
    for (int i = 0; i < sorted.length; i++) {
      while (j < sorted.length && sorted[j] < sorted[i] + width) {
        j++;
      }
      count += j - i > limit ? 1 : 0;
    }
    return count;
  }

  /** Counts per window [origin + k*width, origin + (k+1)*width) up to the last timestamp. */
  static int[] fixedWindows(long[] sorted, long origin, long width) {
    if (sorted.length == 0) {
      return new int[0];
    }
    int[] counts = new int[(int) ((sorted[sorted.length - 1] - origin) / width) + 1];
    for (long t : sorted) {
      counts[(int) ((t - origin) / width)]++;
    }
    return counts;
  }

  /** One line per IAM call (ms after label start, action), for plotting or checking the figures. */
  static void dumpCalls(List<AwsCallRecorder.Call> calls, long origin, Path file) throws java.io.IOException {
    StringBuilder csv = new StringBuilder("ms_after_label_start,action\n");
    calls.forEach(c -> csv.append(String.format("%.3f,%s%n", (c.nanos() - origin) / 1e6, c.action())));
    java.nio.file.Files.writeString(file, csv);
  }

  static String percentiles(List<AwsCallRecorder.Latency> latencies, String service, long from, long to) {
    long[] nanos = latencies.stream().filter(l -> l.service().equals(service) && l.sentNanos() >= from
        && l.sentNanos() < to).mapToLong(AwsCallRecorder.Latency::nanos).sorted().toArray();
    if (nanos.length == 0) {
      return "no calls";
    }
    return String.format("%.1f / %.1f / %.1f ms (%,d calls)", pct(nanos, 50), pct(nanos, 90), pct(nanos, 99),
        nanos.length);
  }

  static double pct(long[] sorted, int p) {
    int index = Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1));
    return sorted[index] / 1e6;
  }

  static String servedSince(Map<String, long[]> before, Map<String, long[]> after) {
    StringBuilder b = new StringBuilder();
    after.forEach((method, v) -> {
      long[] was = before.getOrDefault(method, new long[2]);
      long count = v[0] - was[0];
      if (count > 0) {
        b.append(String.format("%s %,d %.1f ms; ", method, count, (v[1] - was[1]) / 1e6 / count));
      }
    });
    return b.toString();
  }

  /** Every AWS request with the time moto took to start answering, for diagnosis. */
  static void dumpAll(AwsCallRecorder aws, long origin, Path file) throws java.io.IOException {
    StringBuilder csv = new StringBuilder("ms_after_label_start,service,action,answer_ms\n");
    for (AwsCallRecorder.Latency l : aws.latencies()) {
      if (l.sentNanos() >= origin) {
        csv.append(String.format("%.3f,%s,%s,%.3f%n", (l.sentNanos() - origin) / 1e6, l.service(), l.action(),
            l.nanos() / 1e6));
      }
    }
    java.nio.file.Files.writeString(file, csv);
  }

  static String byAction(List<AwsCallRecorder.Call> calls) {
    Map<String, Integer> counts = new TreeMap<>();
    calls.forEach(c -> counts.merge(c.action(), 1, Integer::sum));
    return counts.toString();
  }

  static void row(String label, String format, Object... args) {
    System.out.printf("  %-62s %s%n", label, String.format(format, args));
  }

  static String verdict(boolean met) {
    return met ? "met" : "MISSED";
  }

  static String num(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  static String minutes(long nanos) {
    long seconds = Math.round(nanos / 1e9);
    return seconds / 60 + " min " + seconds % 60 + " s";
  }

  static void progress(String format, Object... args) {
    System.err.printf("[%tT] %s%n", System.currentTimeMillis(), String.format(format, args));
  }

  /** The bench's arguments. */
  record Settings(int namespaces, double rate, int burst, int tokens, double setupRate, int setupBurst, int unrelated,
      Duration window, String xmx, boolean index, boolean verifyIndex, List<String> operatorFlags) {

    static Settings parse(String[] args) {
      Map<String, String> v = new LinkedHashMap<>(Map.of("namespaces", "2000", "rate", "25", "burst", "1",
          "tokens", "10000", "setup-rate", "100", "setup-burst", "100", "unrelated", "20000", "window", "300",
          "xmx", "512m", "index", "true"));
      v.put("verify-index", "false");
      List<String> flags = new ArrayList<>();
      for (String arg : args) {
        if (arg.startsWith("--")) {
          flags.add(arg);
          continue;
        }
        int eq = arg.indexOf('=');
        if (eq < 0 || !v.containsKey(arg.substring(0, eq))) {
          throw new IllegalArgumentException("unknown argument '" + arg + "'; known: " + v.keySet()
              + " and --operator-flags");
        }
        v.put(arg.substring(0, eq), arg.substring(eq + 1));
      }
      int namespaces = Integer.parseInt(v.get("namespaces"));
      int tokens = Integer.parseInt(v.get("tokens"));
      if (tokens != 0 && tokens < namespaces) {
        throw new IllegalArgumentException("tokens must be 0 (phase 1 only) or at least namespaces");
      }
      return new Settings(namespaces, Double.parseDouble(v.get("rate")), Integer.parseInt(v.get("burst")), tokens,
          Double.parseDouble(v.get("setup-rate")), Integer.parseInt(v.get("setup-burst")),
          Integer.parseInt(v.get("unrelated")), Duration.ofSeconds(Long.parseLong(v.get("window"))), v.get("xmx"),
          Boolean.parseBoolean(v.get("index")), Boolean.parseBoolean(v.get("verify-index")), List.copyOf(flags));
    }

    /** The operator's --recheck-interval: a flag passed through, else its default. */
    Duration recheckInterval() {
      String value = io.spacecrab.config.OperatorConfig.OPTIONS.get("recheck-interval")[0];
      for (String flag : operatorFlags) {
        if (flag.startsWith("--recheck-interval=")) {
          value = flag.substring("--recheck-interval=".length());
        }
      }
      return Duration.parse(value);
    }
  }

  /** The Ready condition of every HoneyToken, from the bench's own informer (watch events, no polling). */
  static final class TokenWatch implements ResourceEventHandler<HoneyToken> {
    private final Map<String, String> reasons = new ConcurrentHashMap<>();
    private final Map<String, Long> readySince = new ConcurrentHashMap<>();
    private volatile long lastAdded;

    long lastAddedNanos() {
      return lastAdded;
    }

    @Override
    public void onAdd(HoneyToken token) {
      lastAdded = System.nanoTime();
      update(token);
    }

    @Override
    public void onUpdate(HoneyToken old, HoneyToken token) {
      update(token);
    }

    @Override
    public void onDelete(HoneyToken token, boolean unknownFinalState) {
      reasons.remove(key(token));
      readySince.remove(key(token));
    }

    private void update(HoneyToken token) {
      var ready = token.getStatus() == null ? java.util.Optional.<io.fabric8.kubernetes.api.model.Condition>empty()
          : Conditions.find(token.getStatus().getConditions(), Conditions.READY);
      reasons.put(key(token), ready.map(c -> c.getReason()).orElse("(none)"));
      if (ready.map(c -> "True".equals(c.getStatus())).orElse(false)) {
        readySince.putIfAbsent(key(token), System.nanoTime());
      } else {
        readySince.remove(key(token));
      }
    }

    int count() {
      return reasons.size();
    }

    int ready() {
      return readySince.size();
    }

    /** Tokens in a final state for this bench: Issued, or waiting for a free IAM user. */
    int settled() {
      return (int) reasons.values().stream().filter(r -> r.equals("Issued") || r.equals("AccountQuotaExceeded")).count();
    }

    long firstReadyNanos() {
      return readySince.values().stream().mapToLong(Long::longValue).min().orElse(0);
    }

    long lastReadyNanos() {
      return readySince.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    Map<String, Integer> reasons() {
      Map<String, Integer> counts = new TreeMap<>();
      reasons.values().forEach(r -> counts.merge(r, 1, Integer::sum));
      return counts;
    }

    private static String key(HoneyToken token) {
      return token.getMetadata().getNamespace() + "/" + token.getMetadata().getName();
    }
  }

  /** The operator's requests as the API server receives them (recognised by its bearer token). */
  static final class WriteLog {
    private record Write(long nanos, String method, String kind) {}

    private final List<Write> writes = new ArrayList<>();
    private volatile long lastNonEvent;

    void observe(RecordedRequest request) {
      String method = request.getMethod().toUpperCase(java.util.Locale.ROOT);
      if (!("Bearer " + BEARER).equals(request.getHeader("Authorization"))
          || !List.of("POST", "PUT", "PATCH", "DELETE").contains(method)) {
        return;
      }
      long now = System.nanoTime();
      String kind = kind(request.getPath());
      synchronized (this) {
        writes.add(new Write(now, method, kind));
      }
      if (!kind.equals("events")) {
        lastNonEvent = now;
      }
    }

    long lastNanos() {
      return lastNonEvent;
    }

    /** Writes per resource kind ("secrets", "honeytokens/status", …) in [from, to). */
    synchronized Map<String, Integer> byKind(long from, long to) {
      Map<String, Integer> counts = new TreeMap<>();
      for (Write w : writes) {
        if (w.nanos() >= from && w.nanos() < to) {
          counts.merge(w.kind(), 1, Integer::sum);
        }
      }
      return counts;
    }

    /** Writes of one kind per HTTP method in [from, to). */
    synchronized Map<String, Integer> methods(String kind, long from, long to) {
      Map<String, Integer> counts = new TreeMap<>();
      for (Write w : writes) {
        if (w.kind().equals(kind) && w.nanos() >= from && w.nanos() < to) {
          counts.merge(w.method(), 1, Integer::sum);
        }
      }
      return counts;
    }

    /**
     * The resource of a request path, with its subresource: /api/v1/namespaces/a/secrets/s → secrets,
     * /apis/g/v/namespaces/a/honeytokens/t/status → honeytokens/status, /api/v1/namespaces/a → namespaces.
     */
    static String kind(String path) {
      String[] segments = path.split("\\?")[0].split("/");
      List<String> rest = Arrays.asList(segments).subList(segments[1].equals("api") ? 3 : 4, segments.length);
      if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
        rest = rest.subList(2, rest.size());
      }
      return rest.size() >= 3 ? rest.get(0) + "/" + rest.get(2) : rest.get(0);
    }
  }
}
