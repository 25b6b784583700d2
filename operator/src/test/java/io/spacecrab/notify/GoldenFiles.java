package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Expected bodies under {@code src/test/resources/notify/}: JSON compared pretty-printed so a
 * difference in a field name, value or order shows as a readable diff, text as it is. Run with
 * {@code -Dnotify.golden.update=true} to rewrite them after a deliberate change, then review.
 */
final class GoldenFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private GoldenFiles() {}

  static void assertMatches(String name, String json) {
    assertTextMatches(name, pretty(json));
  }

  static void assertTextMatches(String name, String actual) {
    if (Boolean.getBoolean("notify.golden.update")) {
      write(name, actual);
    }
    assertThat(actual).isEqualTo(read(name));
  }

  static String pretty(String json) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(MAPPER.readTree(json))
          + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(String name) {
    try (InputStream in = GoldenFiles.class.getResourceAsStream("/notify/" + name)) {
      assertThat(in).as("golden file notify/" + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(String name, String content) {
    try {
      Path path = Path.of("src/test/resources/notify", name);
      Files.createDirectories(path.getParent());
      Files.writeString(path, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
