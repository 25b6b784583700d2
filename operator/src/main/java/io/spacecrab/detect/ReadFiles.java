package io.spacecrab.detect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The log files this detector finished with (alerts written, or found damaged), each as a 64-bit
 * fingerprint of bucket, key and ETag with the time it was written to S3. Bounded: entries older
 * than {@code retention} are dropped, and past {@code capacity} the oldest added goes first (a
 * file forgotten too early is read again: harmless, alerts are idempotent by eventID). Files read
 * here and not yet shared with the other replicas are {@link #unshared()}. Thread-safe.
 */
public final class ReadFiles {
  private final int capacity;
  private final Map<String, Long> read = new LinkedHashMap<>();
  private final Map<String, Long> unshared = new LinkedHashMap<>();

  public ReadFiles(int capacity) {
    this.capacity = capacity;
  }

  /** The fingerprint of one version of one object: 16 hex digits of SHA-256(bucket/key#etag). */
  public static String fingerprint(String bucket, String key, String etag) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest((bucket + "/" + key + "#" + etag).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** This replica finished with the file; shared with the others at the next {@link #takeUnshared()}. */
  public synchronized void finished(String fingerprint, Instant written) {
    put(read, fingerprint, written.getEpochSecond());
    put(unshared, fingerprint, written.getEpochSecond());
  }

  /** Another replica finished with these files (fingerprint → epoch second written). */
  public synchronized void learn(Map<String, Long> others) {
    others.forEach((f, t) -> put(read, f, t));
  }

  public synchronized boolean contains(String fingerprint) {
    return read.containsKey(fingerprint);
  }

  public synchronized int size() {
    return read.size();
  }

  /** The files finished here since the last call, now handed over for sharing. */
  public synchronized Map<String, Long> takeUnshared() {
    Map<String, Long> out = new LinkedHashMap<>(unshared);
    unshared.clear();
    return out;
  }

  /** Puts back what {@link #takeUnshared()} gave when sharing failed, for the next attempt. */
  public synchronized void returnUnshared(Map<String, Long> back) {
    back.forEach((f, t) -> put(unshared, f, t));
  }

  public synchronized Map<String, Long> unshared() {
    return new LinkedHashMap<>(unshared);
  }

  /** Drops entries of files written before {@code oldest}. */
  public synchronized void forgetBefore(Instant oldest) {
    long limit = oldest.getEpochSecond();
    read.values().removeIf(t -> t < limit);
    unshared.values().removeIf(t -> t < limit);
  }

  private void put(Map<String, Long> map, String fingerprint, long written) {
    map.put(fingerprint, written);
    Iterator<String> oldest = map.keySet().iterator();
    while (map.size() > capacity && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }
}
