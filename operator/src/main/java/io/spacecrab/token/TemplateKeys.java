package io.spacecrab.token;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The label and annotation keys a ClusterHoneyToken template set on a child, kept on the child as
 * one annotation: {@code labels=a,b;annotations=c}. Label and annotation keys cannot contain ',',
 * ';' or '=', so the text needs no escaping. Anything unreadable counts as no keys (nothing is
 * removed that we cannot prove we set).
 */
record TemplateKeys(Set<String> labels, Set<String> annotations) {

  static TemplateKeys of(Collection<String> labels, Collection<String> annotations) {
    return new TemplateKeys(new TreeSet<>(labels), new TreeSet<>(annotations));
  }

  static TemplateKeys parse(String text) {
    Set<String> labels = new TreeSet<>();
    Set<String> annotations = new TreeSet<>();
    if (text != null) {
      for (String part : text.split(";")) {
        int eq = part.indexOf('=');
        if (eq < 0) {
          continue;
        }
        Set<String> target = switch (part.substring(0, eq)) {
          case "labels" -> labels;
          case "annotations" -> annotations;
          default -> null;
        };
        if (target != null) {
          Arrays.stream(part.substring(eq + 1).split(",")).filter(k -> !k.isBlank()).forEach(target::add);
        }
      }
    }
    return new TemplateKeys(labels, annotations);
  }

  String text() {
    return "labels=" + String.join(",", labels) + ";annotations=" + String.join(",", annotations);
  }
}
