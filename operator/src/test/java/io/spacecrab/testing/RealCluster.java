package io.spacecrab.testing;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes control plane on loopback, built by {@code hack/kube-tools.sh}: etcd,
 * kube-apiserver (RBAC, a static admin token in group system:masters, a self-signed serving cert,
 * service-account tokens) and kube-controller-manager (namespace deletion, garbage collection,
 * ServiceAccounts and their tokens), with the generated CRDs applied and Established. One per test
 * JVM ({@link #shared()}), stopped when the JVM exits; each process also exits when this JVM dies
 * (it watches its standard input). Logs and files live in {@code target/real-cluster/<port>/}.
 */
public final class RealCluster implements ApiServer, AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);
  /** Controllers the tests need; the others only cost CPU on a shared machine. */
  static final List<String> CONTROLLERS = List.of("namespace-controller", "garbage-collector-controller",
      "serviceaccount-controller", "serviceaccount-token-controller", "root-ca-certificate-publisher-controller",
      "clusterrole-aggregation-controller");
  private static RealCluster shared;

  private final Path dir;
  private final Path etcdData;
  private final List<Daemon> daemons = new ArrayList<>();
  private final String adminToken = HexFormat.of().formatHex(randomBytes(24));
  private String url;
  private Path caFile;
  private Path adminKubeconfig;
  private KubernetesClient admin;

  private RealCluster(Path dir, Path etcdData) {
    this.dir = dir;
    this.etcdData = etcdData;
  }

  /** One cluster per test JVM, started on first use and stopped when the JVM exits. */
  public static synchronized RealCluster shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "real-cluster-stop"));
    }
    return shared;
  }

  /** Starts a new control plane with the CRDs applied; throws with the last lines of a failing process's log. */
  public static RealCluster start() {
    return start(true);
  }

  /** Starts a new control plane without the CRDs (a test that installs them itself, e.g. with helm). */
  public static RealCluster withoutCrds() {
    return start(false);
  }

  private static RealCluster start(boolean crds) {
    // fail first, with KubeTools' message, when a tool has not been built
    for (String tool : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl")) {
      KubeTools.tool(tool);
    }
    int apiPort = MotoServer.freePort();
    Path dir = targetDir().resolve("real-cluster").resolve(Integer.toString(apiPort)).toAbsolutePath();
    RealCluster cluster;
    try {
      Files.createDirectories(dir);
      cluster = new RealCluster(dir, Files.createTempDirectory("real-cluster-etcd-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      cluster.boot(apiPort, crds);
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  private void boot(int apiPort, boolean crds) {
    Instant t0 = Instant.now();
    say("starting in " + dir);
    int etcdPort = MotoServer.freePort();
    int peerPort = MotoServer.freePort();
    String etcdUrl = "http://127.0.0.1:" + etcdPort;
    String peerUrl = "http://127.0.0.1:" + peerPort;
    Path saKey = dir.resolve("sa.key");
    Path saPub = dir.resolve("sa.pub");
    Path tokens = dir.resolve("tokens.csv");
    Path certDir = dir.resolve("certs");
    writeServiceAccountKeys(saKey, saPub);
    write(tokens, adminToken + ",admin,admin-uid,\"system:masters\"\n");

    daemon("etcd", List.of(
        "--name=default",
        "--data-dir=" + etcdData,
        "--listen-client-urls=" + etcdUrl, "--advertise-client-urls=" + etcdUrl,
        "--listen-peer-urls=" + peerUrl, "--initial-advertise-peer-urls=" + peerUrl,
        "--initial-cluster=default=" + peerUrl,
        "--unsafe-no-fsync",
        "--log-level=warn"));
    // the API server retries etcd until it answers: no need to wait for etcd first
    url = "https://127.0.0.1:" + apiPort;
    daemon("kube-apiserver", List.of(
        "--etcd-servers=" + etcdUrl,
        "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + apiPort,
        "--cert-dir=" + certDir, // no --tls-cert-file: it writes a self-signed CA and serving cert there
        "--authorization-mode=RBAC",
        "--token-auth-file=" + tokens,
        "--service-account-issuer=https://kubernetes.default.svc",
        "--service-account-key-file=" + saPub,
        "--service-account-signing-key-file=" + saKey,
        "--api-audiences=https://kubernetes.default.svc",
        "--service-cluster-ip-range=10.0.0.0/24",
        "--endpoint-reconciler-type=none",
        "--profiling=false",
        "--v=1"));

    awaitTrue("kube-apiserver /readyz", () -> readyz(certDir.resolve("apiserver.crt")));
    say(String.format("etcd and kube-apiserver ready in %.1f s at %s", seconds(t0), url));

    adminKubeconfig = kubeconfigFile("admin", adminToken);
    daemon("kube-controller-manager", List.of(
        "--kubeconfig=" + adminKubeconfig,
        "--leader-elect=false",
        "--controllers=" + String.join(",", CONTROLLERS),
        "--service-account-private-key-file=" + saKey,
        "--root-ca-file=" + caFile,
        "--use-service-account-credentials=false",
        "--secure-port=0",
        "--v=1"));
    admin = newClient(b -> { });
    if (crds) {
      applyCrds();
      say(String.format("CRDs established and served after %.1f s", seconds(t0)));
    }
    awaitTrue("the default ServiceAccount (kube-controller-manager)",
        () -> admin.serviceAccounts().inNamespace("default").withName("default").get() != null);
    say(String.format("kube-controller-manager ready; cluster up in %.1f s", seconds(t0)));
  }

  @Override
  public KubernetesClient client() {
    return admin;
  }

  @Override
  public KubernetesClient newClient(Consumer<KubernetesClientBuilder> customise) {
    return builder(adminToken, customise);
  }

  /** A client that authenticates with this bearer token (e.g. a ServiceAccount's); the caller closes it. */
  public KubernetesClient clientFor(String token) {
    return builder(token, b -> { });
  }

  private KubernetesClient builder(String token, Consumer<KubernetesClientBuilder> customise) {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withCaCertFile(caFile.toString())
        .withOauthToken(token)
        .withNamespace("default") // fabric8's default retries (429, 5xx), as the operator's production client
        .build();
    KubernetesClientBuilder b = new KubernetesClientBuilder().withConfig(config);
    customise.accept(b);
    return b.build();
  }

  @Override
  public String url() {
    return url;
  }

  /** The admin's kubeconfig (group system:masters). */
  public Path adminKubeconfig() {
    return adminKubeconfig;
  }

  /** A kubeconfig file that authenticates with this bearer token. */
  public Path kubeconfigFor(String token) {
    return kubeconfigFile("token-" + HexFormat.of().formatHex(sha256(token), 0, 6), token);
  }

  @Override
  public void createNamespace(String name) {
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  /** Creates a namespace named {@code prefix-<random>} and returns its name. */
  public String createUniqueNamespace(String prefix) {
    String name = prefix + "-" + HexFormat.of().formatHex(randomBytes(3));
    createNamespace(name);
    return name;
  }

  /** A token of this ServiceAccount from the TokenRequest API, valid for {@code validFor}. */
  public String serviceAccountToken(String namespace, String serviceAccount, Duration validFor) {
    TokenRequest request = new TokenRequestBuilder().withNewSpec()
        .withExpirationSeconds(validFor.toSeconds()).withAudiences("https://kubernetes.default.svc").endSpec().build();
    return admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request)
        .getStatus().getToken();
  }

  /** The real kubectl with the admin kubeconfig. */
  public KubeTools.Result kubectl(List<String> args) {
    return kubectl(null, args.toArray(String[]::new));
  }

  /** The real kubectl with the admin kubeconfig and {@code stdin} (when not null) as its input. */
  public KubeTools.Result kubectl(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--kubeconfig=" + adminKubeconfig));
    all.addAll(List.of(args));
    return KubeTools.run("kubectl", all, Map.of(), stdin, TOOL_TIMEOUT);
  }

  /** The real helm with the admin kubeconfig, its caches and configuration under this cluster's directory. */
  public KubeTools.Result helm(List<String> args) {
    List<String> all = new ArrayList<>(List.of("--kubeconfig=" + adminKubeconfig));
    all.addAll(args);
    Path home = dir.resolve("helm");
    return KubeTools.run("helm", all, Map.of("HELM_CACHE_HOME", home.resolve("cache").toString(),
        "HELM_CONFIG_HOME", home.resolve("config").toString(), "HELM_DATA_HOME", home.resolve("data").toString()),
        TOOL_TIMEOUT);
  }

  /** Stops the processes (controller manager, API server, etcd) and removes etcd's data. */
  @Override
  public synchronized void close() {
    Instant t0 = Instant.now();
    boolean running = !daemons.isEmpty();
    if (admin != null) {
      admin.close();
      admin = null;
    }
    for (int i = daemons.size() - 1; i >= 0; i--) {
      daemons.get(i).stop();
    }
    daemons.clear();
    deleteTree(etcdData);
    if (running) {
      say(String.format("stopped in %.1f s", seconds(t0)));
    }
  }

  private void applyCrds() {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (Path file : KubeApi.crdFiles()) {
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions().load(in).item();
        crds.add(admin.apiextensions().v1().customResourceDefinitions().resource(crd).create());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (CustomResourceDefinition crd : crds) {
      awaitTrue("CRD " + crd.getMetadata().getName() + " Established", () -> {
        CustomResourceDefinition now = admin.apiextensions().v1().customResourceDefinitions()
            .withName(crd.getMetadata().getName()).get();
        return now.getStatus() != null && now.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
      });
    }
    // Established is not yet served: until its watch cache is filled, a list from the cache (what an
    // informer starts with) answers 429 "storage is (re)initializing"
    for (CustomResourceDefinition crd : crds) {
      String apiVersion = crd.getSpec().getGroup() + "/" + crd.getSpec().getVersions().get(0).getName();
      String kind = crd.getSpec().getNames().getKind();
      awaitTrue("a cached list of " + crd.getMetadata().getName(), () -> {
        admin.genericKubernetesResources(apiVersion, kind).inAnyNamespace()
            .list(new ListOptionsBuilder().withResourceVersion("0").build());
        return true;
      });
    }
  }

  /** True once /readyz answers 200; builds the trust from the serving cert the API server wrote. */
  private boolean readyz(Path servingCert) {
    if (caFile == null) {
      if (!Files.isRegularFile(servingCert)) {
        return false;
      }
      try {
        X509Certificate ca = selfSigned(Files.readAllBytes(servingCert));
        if (ca == null) {
          return false;
        }
        Path file = dir.resolve("ca.crt");
        write(file, "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
        caFile = file;
      } catch (IOException | GeneralSecurityException e) {
        return false; // still being written
      }
    }
    try {
      HttpClient http = HttpClient.newBuilder().sslContext(sslContext()).connectTimeout(Duration.ofSeconds(1)).build();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/readyz"))
          .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private SSLContext sslContext() {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate selfSigned(byte[] pem) throws GeneralSecurityException {
    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
      X509Certificate x = (X509Certificate) c;
      if (x.getSubjectX500Principal().equals(x.getIssuerX500Principal())) {
        return x;
      }
    }
    return null;
  }

  private Path kubeconfigFile(String name, String token) {
    Path file = dir.resolve(name + ".kubeconfig");
    write(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: real-cluster
          cluster:
            server: %s
            certificate-authority: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: real-cluster
          context:
            cluster: real-cluster
            user: %s
            namespace: default
        current-context: real-cluster
        """.formatted(url, caFile, name, token, name));
    return file;
  }

  /**
   * Starts {@code tool args} with its output in {@code <dir>/<tool>.log}, under a shell that kills
   * it when its standard input closes: on {@link Daemon#stop()}, and when this JVM dies however it dies.
   */
  private Daemon daemon(String tool, List<String> args) {
    Path log = dir.resolve(tool + ".log");
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
        "exec 3<&0; \"$@\" </dev/null & child=$!; (cat <&3 >/dev/null; kill $child 2>/dev/null) & wait $child",
        tool, KubeTools.tool(tool).toString()));
    command.addAll(args);
    try {
      write(log, "# " + String.join(" ", command.subList(4, command.size())) + "\n");
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      Daemon d = new Daemon(tool, p, log);
      daemons.add(d);
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + tool, e);
    }
  }

  /** Polls until {@code condition} holds; throws with a log tail as soon as a process has exited. */
  private void awaitTrue(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (true) {
      for (Daemon d : daemons) {
        if (!d.process.isAlive()) {
          throw new IllegalStateException(d.name + " exited with " + d.process.exitValue() + " while waiting for "
              + what + "; last lines of " + d.log + ":\n" + d.tail(40));
        }
      }
      boolean done;
      try {
        done = condition.getAsBoolean();
      } catch (RuntimeException e) {
        done = false;
      }
      if (done) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        StringBuilder tails = new StringBuilder();
        for (Daemon d : daemons) {
          tails.append("\n--- last lines of ").append(d.log).append(":\n").append(d.tail(20));
        }
        throw new IllegalStateException("timed out after " + START_TIMEOUT + " waiting for " + what + tails);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static void writeServiceAccountKeys(Path privateKey, Path publicKey) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      KeyPair pair = gen.generateKeyPair();
      write(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded())); // PKCS#8
      write(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded())); // X.509 SubjectPublicKeyInfo
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static Path targetDir() {
    Path module = Path.of("target");
    return Files.isDirectory(Path.of("src/test/java")) ? module : Path.of("operator/target");
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static byte[] sha256(String text) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double seconds(Instant since) {
    return Duration.between(since, Instant.now()).toMillis() / 1000.0;
  }

  /** Progress, to stdout and to {@code <dir>/real-cluster.log} (which also gets the stop, after stdout is gone). */
  private void say(String line) {
    String text = "[real-cluster] " + line;
    System.out.println(text);
    try {
      Files.writeString(dir.resolve("real-cluster.log"), Instant.now() + " " + text + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      // progress only
    }
  }

  /** One control-plane process and its log. */
  private record Daemon(String name, Process process, Path log) {
    /** Closes its standard input (the shell then kills the tool) and waits for it; then kills the shell. */
    void stop() {
      try {
        process.getOutputStream().close();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }

    String tail(int lines) {
      try {
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
      } catch (IOException | UncheckedIOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }
  }
}
