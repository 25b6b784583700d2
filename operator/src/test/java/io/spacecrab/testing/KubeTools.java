package io.spacecrab.testing;

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

/**
 * The real Kubernetes tools that {@code hack/kube-tools.sh} builds (kube-apiserver,
 * kube-controller-manager, kubectl, etcd, helm): found in {@code $KUBE_TOOLS_BIN}, else in the
 * script's default directory. A missing tool fails the test with the command that builds it.
 */
public final class KubeTools {
  private KubeTools() {}

  /** The directory holding the built tools. */
  public static Path bin() {
    String env = System.getenv("KUBE_TOOLS_BIN");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String dir = System.getenv("KUBE_TOOLS_DIR");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir, "bin");
    }
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("spacecrab/kube-tools/bin");
  }

  /** The path of one tool; throws with a clear message when it has not been built. */
  public static Path tool(String name) {
    Path p = bin().resolve(name);
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException(name + " not found in " + bin()
          + ": run 'make test' or 'hack/kube-tools.sh' (builds the Kubernetes tools once, ~15 min cold)");
    }
    return p;
  }

  /** What a finished command printed, and its exit code. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** Throws unless the command exited 0. */
    public Result ok() {
      if (exitCode != 0) {
        throw new IllegalStateException("exit " + exitCode + ": " + stderr + stdout);
      }
      return this;
    }
  }

  /** Runs {@code tool args...} with extra environment, waiting at most {@code timeout}. */
  public static Result run(String tool, List<String> args, Map<String, String> env, Duration timeout) {
    return run(tool, args, env, null, timeout);
  }

  /** As {@link #run(String, List, Map, Duration)}, with {@code stdin} (when not null) as standard input. */
  public static Result run(String tool, List<String> args, Map<String, String> env, String stdin, Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(tool(tool).toString());
    command.addAll(args);
    try {
      Path out = Files.createTempFile(tool, ".out");
      Path err = Files.createTempFile(tool, ".err");
      Path in = null;
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      if (stdin != null) {
        in = Files.createTempFile(tool, ".in");
        Files.writeString(in, stdin, StandardCharsets.UTF_8);
        pb.redirectInput(in.toFile());
      }
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
      }
      Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      if (in != null) {
        Files.deleteIfExists(in);
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
