package io.spacecrab.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The moto server (pinned in the repo's virtualenv, started through hack/moto_server.py, which
 * fills two gaps of moto's IAM: service-specific credentials, and a DeleteUser that refuses a user
 * with anything still attached, as IAM does) on a free loopback port, with IAM policy enforcement on. {@link #reset()} empties every service and creates an administrator whose key
 * the operator uses; any other key is checked against its IAM policies, as in AWS.
 */
public final class MotoServer implements AutoCloseable {
  public static final String REGION = "us-east-1";
  /** Requests moto answers without authentication after a reset: the administrator's set-up. */
  private static final int SETUP_CALLS = 3;
  private static MotoServer shared;

  private final Process process;
  private final URI endpoint;
  private AwsBasicCredentials admin;

  private MotoServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** One server per test JVM, stopped when the JVM exits. */
  public static synchronized MotoServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  public static MotoServer start() {
    Path root = findRoot();
    Path binary = root.resolve(".venv/bin/python");
    int port = freePort();
    try {
      ProcessBuilder pb = new ProcessBuilder(binary.toString(), root.resolve("hack/moto_server.py").toString(),
          "-H", "127.0.0.1", "-p", Integer.toString(port));
      pb.environment().put("INITIAL_NO_AUTH_ACTION_COUNT", Integer.toString(SETUP_CALLS));
      pb.environment().put("MOTO_ALLOW_NONEXISTENT_REGION", "false");
      pb.redirectErrorStream(true);
      pb.redirectOutput(Path.of(System.getProperty("java.io.tmpdir"), "moto-" + port + ".log").toFile());
      Process process = pb.start();
      MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port));
      server.awaitUp(Duration.ofSeconds(60));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + binary, e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Credentials of the administrator created by the last {@link #reset()}. */
  public StaticCredentialsProvider adminCredentials() {
    return StaticCredentialsProvider.create(admin);
  }

  /** Empties moto, re-arms IAM enforcement and creates a fresh administrator. */
  public synchronized void reset() {
    post("/moto-api/reset", "");
    post("/moto-api/reset-auth", Integer.toString(SETUP_CALLS));
    try (IamClient iam = iam(StaticCredentialsProvider.create(AwsBasicCredentials.create("setup", "setup")))) {
      iam.createUser(r -> r.userName("admin"));
      iam.putUserPolicy(r -> r.userName("admin").policyName("all").policyDocument(
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"));
      var key = iam.createAccessKey(r -> r.userName("admin")).accessKey();
      admin = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }
  }

  /** An IAM client with these credentials, for assertions. */
  public IamClient iam(StaticCredentialsProvider credentials) {
    return IamClient.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitUp(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto server exited with " + process.exitValue());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
        c.setConnectTimeout(500);
        if (c.getResponseCode() > 0) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("moto server did not start within " + timeout);
  }

  private void post(String path, String body) {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint.resolve(path).toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "text/plain");
      c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
      if (c.getResponseCode() != 200) {
        throw new IllegalStateException("moto " + path + " answered " + c.getResponseCode());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository root above the working directory, with the virtualenv moto is installed in. */
  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isExecutable(dir.resolve(".venv/bin/moto_server")) && Files.isRegularFile(dir.resolve("hack/moto_server.py"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no .venv/bin/moto_server above " + Path.of("").toAbsolutePath()
        + ": run 'make test' (it creates the virtualenv)");
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
