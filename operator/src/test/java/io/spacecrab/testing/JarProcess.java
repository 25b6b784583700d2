package io.spacecrab.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code operator/target/spacecrab.jar}) run as a user runs it, {@code java -jar
 * spacecrab.jar <args>}, configured only by the environment given (nothing inherited from the test
 * JVM's SPACECRAB_* or AWS_* variables): what a container of the chart's Deployment would run.
 */
public final class JarProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path log;
  private final int metricsPort;

  private JarProcess(Process process, Path log, int metricsPort) {
    this.process = process;
    this.log = log;
    this.metricsPort = metricsPort;
  }

  /** The jar the build packaged; fails clearly when {@code mvn package} has not run. */
  public static Path jar() {
    for (Path candidate : List.of(Path.of("target/spacecrab.jar"), Path.of("operator/target/spacecrab.jar"))) {
      if (Files.isRegularFile(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    throw new IllegalStateException("no target/spacecrab.jar: integration tests run after 'mvn package'");
  }

  /** Starts {@code java -jar spacecrab.jar args} with exactly this environment (plus PATH and HOME). */
  public static JarProcess start(List<String> args, Map<String, String> env, Path log) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar().toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    pb.environment().putAll(env);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      Process process = pb.start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
      String port = env.get("SPACECRAB_METRICS_PORT");
      return new JarProcess(process, log, port == null ? 8080 : Integer.parseInt(port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The HTTP status of GET {@code path} on the metrics port (/readyz, /healthz, /metrics); -1 when nothing answers. */
  public int probe(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The body of GET /metrics. */
  public String metrics() throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Throws (with the log's path) when the process has exited. */
  public void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException("spacecrab.jar exited with " + process.exitValue() + "; see " + log);
    }
  }

  /** What the process has written so far (stdout and stderr). */
  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
  }

  /** Waits until the log holds {@code text}; throws (with the log) when the process exits first. */
  public void awaitLog(String text, Duration timeout) {
    org.awaitility.Awaitility.await().atMost(timeout).until(() -> {
      checkAlive();
      return log().contains(text);
    });
  }

  /** SIGTERM, as Kubernetes stops a container; the exit code once it is gone. */
  public int stop(Duration grace) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop(Duration.ofSeconds(30));
    }
  }
}
