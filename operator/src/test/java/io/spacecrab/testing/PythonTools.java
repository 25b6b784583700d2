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
 * The Python tools `make test` installs (.venv from requirements-test.txt; checkov in
 * .venv/checkov from requirements-checkov.txt), run as processes from the repository root.
 */
public final class PythonTools {
  private PythonTools() {}

  /** What a tool printed and how it exited. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** Both streams, for assertion messages. */
    public String output() {
      return stdout + (stderr.isEmpty() ? "" : "\n--- stderr\n" + stderr);
    }
  }

  /** The repository root: the directory holding .venv. */
  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve(".venv/bin"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no .venv above " + Path.of("").toAbsolutePath()
        + ": run 'make test' (it creates the virtualenv)");
  }

  /** An executable of .venv/bin (or a nested virtualenv, e.g. "checkov/bin/checkov"). */
  public static Path tool(String name) {
    Path venv = root().resolve(".venv");
    Path path = name.contains("/") ? venv.resolve(name) : venv.resolve("bin").resolve(name);
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(path + " is missing: run 'make test' (it installs the Python tools)");
    }
    return path;
  }

  /** Runs {@code tool args...} in the repository root with extra environment, within the timeout. */
  public static Result run(Duration timeout, Map<String, String> env, String tool, String... args) {
    List<String> command = new ArrayList<>();
    command.add(tool(tool).toString());
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("python-tool", ".out");
      Path err = Files.createTempFile("python-tool", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(command + " did not finish within " + timeout);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Result run(Duration timeout, String tool, String... args) {
    return run(timeout, Map.of(), tool, args);
  }
}
