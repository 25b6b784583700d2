package io.spacecrab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Packages depend only downward. Read from the sources (not the class files: the compiler inlines
 * constants, so a reach-back through a constant leaves no trace in the bytecode): every
 * {@code io.spacecrab.<package>.} a file names, in an import or written out, must be its own package
 * or one of a lower layer. Siblings of one layer never depend on each other.
 */
class ArchitectureTest {
  /** Layer of each top-level package, lowest first; the root package (composition roots) is the top. */
  static final Map<String, Integer> LAYERS = Map.ofEntries(
      Map.entry("api", 0),
      Map.entry("config", 1), Map.entry("backoff", 1), Map.entry("ratelimit", 1),
      Map.entry("aws", 2), Map.entry("kube", 2),
      Map.entry("metrics", 3),
      Map.entry("token", 4), Map.entry("detect", 4), Map.entry("notify", 4),
      Map.entry("", 5));
  private static final Pattern PACKAGE = Pattern.compile("^package io\\.spacecrab(?:\\.([a-z0-9]+))?[.;]", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("io\\.spacecrab\\.([a-z0-9]+)\\.");
  private static final Path SOURCES = Path.of("src/main/java/io/spacecrab");

  @Test
  void everyPackageHasALayer() throws IOException {
    try (Stream<Path> dirs = Files.list(SOURCES)) {
      List<String> packages = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
      assertThat(packages).isNotEmpty();
      assertThat(LAYERS.keySet()).as("a new package needs a place in ArchitectureTest.LAYERS")
          .containsAll(packages);
    }
  }

  @Test
  void packagesDependOnlyDownward() throws IOException {
    List<String> violations = new ArrayList<>();
    int files = 0;
    try (Stream<Path> all = Files.walk(SOURCES)) {
      for (Path file : all.filter(p -> p.toString().endsWith(".java")).toList()) {
        files++;
        violations.addAll(violations(SOURCES.relativize(file).toString(), Files.readString(file)));
      }
    }
    assertThat(files).isGreaterThan(50);
    assertThat(violations).as("reach-backs (a package naming one of its own or a higher layer)").isEmpty();
  }

  @Test
  void theCheckSeesImportsAndWrittenOutNames() {
    String notify = """
        package io.spacecrab.notify;
        import io.spacecrab.token.NamespaceSelector;
        import io.spacecrab.kube.EventRecorder;
        class X { Object y = io.spacecrab.detect.AlertWriter.class; }
        """;
    assertThat(violations("notify/X.java", notify)).containsExactly(
        "notify/X.java: notify -> detect", "notify/X.java: notify -> token");
    assertThat(violations("kube/Y.java", "package io.spacecrab.kube;\nimport io.spacecrab.aws.IamUser;\n"))
        .containsExactly("kube/Y.java: kube -> aws");
    assertThat(violations("Main.java", "package io.spacecrab;\nimport io.spacecrab.token.TokenIssuer;\n")).isEmpty();
    assertThat(violations("api/v1alpha1/Z.java", "package io.spacecrab.api.v1alpha1;\nimport io.spacecrab.api.Alerts;\n"))
        .isEmpty();
  }

  /** What a test class names when it starts something that must not outlive it. */
  private static final Pattern STARTS_SERVERS = Pattern.compile("\\b(MotoServer\\.(shared|start)\\(|KubeApi\\.start\\("
      + "|new KubernetesMockServer|OperatorUnderTest\\.start|Receiver\\.answering\\(|new Receiver\\(|HttpServer\\.create"
      + "|JarProcess|OperatorProcess|RealCluster|RealServerFixture|SpaceCrabEnvironment)");

  @Test
  void unitTestsThatStartServersRunInAJvmOfTheirOwn() throws IOException {
    List<String> missing = new ArrayList<>();
    try (Stream<Path> all = Files.walk(Path.of("src/test/java"))) {
      for (Path file : all.filter(p -> p.toString().endsWith("Test.java")).toList()) {
        String source = Files.readString(file);
        if (!file.endsWith("ArchitectureTest.java") && !file.getParent().endsWith("testing")
            && STARTS_SERVERS.matcher(source).find()
            && !source.contains("@OwnJvm")) {
          missing.add(file.getFileName().toString());
        }
      }
    }
    assertThat(missing).as("*Test classes that start servers but lack @OwnJvm (they would share the unit-test JVM)")
        .isEmpty();
  }

  /** "file: from -> to" for each package the file names that is not below its own (same package allowed). */
  static List<String> violations(String file, String source) {
    Matcher p = PACKAGE.matcher(source);
    if (!p.find()) {
      return List.of(file + ": no io.spacecrab package line");
    }
    String from = p.group(1) == null ? "" : p.group(1);
    Integer fromLayer = LAYERS.get(from);
    if (fromLayer == null) {
      return List.of(file + ": package " + from + " has no layer");
    }
    TreeSet<String> bad = new TreeSet<>();
    Matcher r = REFERENCE.matcher(source);
    while (r.find()) {
      String to = r.group(1);
      Integer toLayer = LAYERS.get(to);
      if (!to.equals(from) && (toLayer == null || toLayer >= fromLayer)) {
        bad.add(file + ": " + from + " -> " + to);
      }
    }
    return new ArrayList<>(bad);
  }
}
