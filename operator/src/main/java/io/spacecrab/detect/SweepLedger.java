package io.spacecrab.detect;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the detector replicas share about the log bucket, in one ConfigMap in the detector's own
 * namespace (never a tenant's): the sweep's mark (every log file written before it has been swept)
 * and the recently finished files of every replica ({@link ReadFiles} fingerprints with the time
 * each file was written). Survives restarts and changes of leader. Writes are read-modify-write
 * with the ConfigMap's resourceVersion, retried on conflict; the list is bounded so the object
 * stays far below the API server's 1 MiB.
 */
public final class SweepLedger {
  static final String MARK = "mark";
  static final String FILES = "files";
  /** At most this many files are kept (about 28 bytes each). */
  static final int CAPACITY = 15_000;
  private static final int ATTEMPTS = 5;

  /** The ledger as read: the mark (null before the first sweep) and the files finished, oldest first. */
  public record State(Instant mark, Map<String, Long> files) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public SweepLedger(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  /** The ledger now; empty (no mark, no files) when it does not exist yet. */
  public State read() {
    return parse(client.configMaps().inNamespace(namespace).withName(name).get());
  }

  /**
   * Adds {@code files}, forgets those written before {@code forgetBefore}, and (when
   * {@code mark} is not null) moves the mark, never backwards. Throws when the API server cannot
   * be written (the caller keeps what it wanted to add for the next attempt).
   */
  public void write(Map<String, Long> files, Instant forgetBefore, Instant mark) {
    KubernetesClientException last = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
      State state = parse(current);
      Map<String, Long> merged = new LinkedHashMap<>(state.files());
      merged.putAll(files);
      merged.values().removeIf(t -> t < forgetBefore.getEpochSecond());
      Instant newMark = state.mark() == null || (mark != null && mark.isAfter(state.mark())) ? mark : state.mark();
      Map<String, String> data = new TreeMap<>();
      data.put(FILES, format(newest(merged)));
      if (newMark != null) {
        data.put(MARK, newMark.toString());
      }
      try {
        if (current == null) {
          client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
              .withName(name).withNamespace(namespace).endMetadata().withData(data).build()).create();
        } else {
          current.setData(data);
          client.configMaps().inNamespace(namespace).resource(current).update();
        }
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  static State parse(ConfigMap map) {
    if (map == null || map.getData() == null) {
      return new State(null, Map.of());
    }
    Instant mark = null;
    try {
      String text = map.getData().get(MARK);
      mark = text == null ? null : Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      // a hand-edited mark: sweep as if there were none
    }
    Map<String, Long> files = new LinkedHashMap<>();
    String text = map.getData().getOrDefault(FILES, "");
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon == 16) {
        try {
          files.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 1).trim()));
        } catch (NumberFormatException e) {
          // skip a damaged line
        }
      }
    }
    return new State(mark, files);
  }

  /** The newest {@link #CAPACITY} entries by the time their file was written. */
  private static Map<String, Long> newest(Map<String, Long> files) {
    if (files.size() <= CAPACITY) {
      return files;
    }
    Map<String, Long> kept = new LinkedHashMap<>();
    files.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(CAPACITY)
        .forEach(e -> kept.put(e.getKey(), e.getValue()));
    return kept;
  }

  private static String format(Map<String, Long> files) {
    StringBuilder b = new StringBuilder(files.size() * 28);
    files.forEach((f, t) -> b.append(f).append(':').append(t).append('\n'));
    return b.toString();
  }
}
