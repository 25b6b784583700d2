package io.spacecrab.testing;

import io.spacecrab.SpaceCrabMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The jar's operator mode ({@link SpaceCrabMain}) as a separate JVM, configured by flags and
 * environment only, with a kubeconfig pointing at the in-process API server: so that its heap can
 * be measured on its own and it can be stopped with SIGTERM like a pod.
 */
public final class OperatorProcess implements AutoCloseable {
  private static final Pattern G1_USED = Pattern.compile("garbage-first heap\\s+total (\\d+)K, used (\\d+)K");

  private final Process process;
  private final Path log;
  private final Path kubeconfig;

  private OperatorProcess(Process process, Path log, Path kubeconfig) {
    this.process = process;
    this.log = log;
    this.kubeconfig = kubeconfig;
  }

  /**
   * Starts {@code java <jvmOptions> -cp <this JVM's class path> SpaceCrabMain operator <flags>}.
   *
   * @param bearerToken the token the process presents to the API server (lets the server tell its requests apart)
   * @param env extra environment (AWS credentials, LOG_LEVEL); SPACECRAB_* and AWS_* of this JVM are not inherited
   * @param log file receiving the process's stdout and stderr
   */
  public static OperatorProcess start(String apiServerUrl, String bearerToken, List<String> jvmOptions,
      List<String> flags, Map<String, String> env, Path log) {
    try {
      Path kubeconfig = Files.createTempFile("rollout-bench-kubeconfig", ".yaml");
      Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: "
          + apiServerUrl + "\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n"
          + "current-context: c\nusers:\n- name: u\n  user:\n    token: " + bearerToken + "\n");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), SpaceCrabMain.class.getName(), "operator"));
      command.addAll(flags);
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().keySet().removeIf(k -> k.startsWith("SPACECRAB_") || k.startsWith("AWS_"));
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      pb.environment().putAll(env);
      Files.createDirectories(log.toAbsolutePath().getParent());
      pb.redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      Process process = pb.start();
      // never outlive the bench, whatever way it ends
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
      return new OperatorProcess(process, log, kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Throws when the process has exited (an operator exits when an informer stops for good). */
  public void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException("operator exited with " + process.exitValue() + "; see " + log);
    }
  }

  public long pid() {
    return process.pid();
  }

  /** Waits for the log line the entry point writes once the operator's informers are synced. */
  public void awaitStarted(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("operator exited with " + process.exitValue() + "; see " + log);
      }
      if (logContains("operator started")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("operator did not start within " + timeout + "; see " + log);
  }

  /**
   * Used heap in bytes right after a full GC: {@code jcmd GC.run} (System.gc(), a full
   * stop-the-world collection with G1), then {@code jcmd GC.heap_info}. After a full collection
   * the used heap is the live data plus region rounding, i.e. what the process needs to hold.
   */
  public long heapUsedAfterFullGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = G1_USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("no G1 heap figure in: " + info);
    }
    return Long.parseLong(m.group(2)) * 1024;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid()), command)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  /** SIGTERM, as Kubernetes stops a pod; waits for the exit. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
      throw new IllegalStateException("operator did not stop within 60 s of SIGTERM; see " + log);
    }
  }

  private boolean logContains(String text) {
    try {
      return Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    try {
      Files.deleteIfExists(kubeconfig);
    } catch (IOException ignored) {
      // a temp file
    }
  }
}
