package io.spacecrab.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The settings table of {@code docs/configuration.md} is generated from {@link OperatorConfig#OPTIONS},
 * the one place the code declares its settings; {@code make docs} writes it, this test fails when
 * the two differ.
 */
class ConfigurationDocTest {
  static final String BEGIN = "<!-- settings:begin (make docs) -->\n";
  static final String END = "<!-- settings:end -->";

  @Test
  void theSettingsTableIsTheOneTheCodeDeclares() throws IOException {
    String doc = Files.readString(docFile());
    assertThat(doc).contains(BEGIN).contains(END);
    String table = doc.substring(doc.indexOf(BEGIN) + BEGIN.length(), doc.indexOf(END));
    assertThat(table).as("docs/configuration.md is out of date: run 'make docs'").isEqualTo(table());
  }

  /** The markdown table of every setting: flag, environment variable, default, meaning. */
  static String table() {
    StringBuilder b = new StringBuilder("| setting | environment | default | meaning |\n|---|---|---|---|\n");
    OperatorConfig.OPTIONS.forEach((name, v) -> b.append("| `--").append(name).append("` | `")
        .append(Settings.ENV_PREFIX).append(name.toUpperCase(Locale.ROOT).replace('-', '_')).append("` | ")
        .append(v[0] == null ? "—" : "`" + v[0] + "`").append(" | ").append(v[1].replace("|", "\\|")).append(" |\n"));
    return b.toString();
  }

  static Path docFile() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
      dir = dir.getParent();
    }
    return Path.of(String.valueOf(dir)).resolve("docs/configuration.md");
  }

  /** Rewrites the table in docs/configuration.md ({@code make docs}). */
  public static void main(String[] args) throws IOException {
    Path file = docFile();
    String doc = Files.readString(file);
    int from = doc.indexOf(BEGIN) + BEGIN.length();
    Files.writeString(file, doc.substring(0, from) + table() + doc.substring(doc.indexOf(END)));
  }
}
