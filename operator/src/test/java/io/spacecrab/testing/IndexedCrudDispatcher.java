package io.spacecrab.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.crud.Value;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Consumer;

/**
 * fabric8's CRUD dispatcher with two additions for benchmarks, nothing else changed:
 *
 * <ul>
 *   <li>an observer that sees every request as it arrives (to count writes at the server);
 *   <li>an index of the stored objects by plural, namespace and name. The stock dispatcher answers
 *       every single-object lookup (a GET by name, and the lookup that POST, PUT and PATCH make
 *       first) by copying and scanning all stored objects: about 1 ms per 1,000 objects on this
 *       machine, so with the 50,000 objects of a 10,000-token cluster every request costs ~50 ms and
 *       a benchmark would measure the mock server, not the operator. Here those lookups take the
 *       candidates with the query's plural, namespace and name from the index and then apply the
 *       very same {@link AttributeSet#matches} test the scan applies, so they find the same object.
 *       Lists, watches, deletes and anything the index cannot answer exactly go to the stock code.
 * </ul>
 *
 * <p>{@code indexed=false} keeps only the observer (the stock lookups). {@code verify} compares every
 * indexed answer with the stock scan and counts differences (for a small check run; it makes every
 * lookup slow again).
 */
public class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private static final String PLURAL = KubernetesAttributesExtractor.PLURAL;
  private static final String NAMESPACE = KubernetesAttributesExtractor.NAMESPACE;
  private static final String NAME = KubernetesAttributesExtractor.NAME;
  private static final Value NO_SUCH_VALUE = new Value("\u0000no-such-value\u0000");

  private final Consumer<RecordedRequest> observer;
  private final boolean indexed;
  private final boolean verify;
  private final IndexedMap entries = new IndexedMap();
  /** The map the stock code uses: the same synchronized wrapper it had, around the indexed map. */
  private final Map<AttributeSet, String> synchronizedEntries = Collections.synchronizedMap(entries);
  private final ReadWriteLock lock;
  private final AtomicLong mismatches = new AtomicLong();
  private final Map<String, long[]> served = new HashMap<>();
  private final List<Slow> slow = new ArrayList<>();
  private static final long SLOW_NANOS = 250_000_000L;
  /** -Dspacecrab.traceRequests=true records every request, not only the slow ones. */
  private static final boolean TRACE = Boolean.getBoolean("spacecrab.traceRequests");

  /** A request that spent more than 250 ms inside the dispatcher, or any with TRACE (for diagnosis). */
  public record Slow(long startNanos, String request, long nanos) {}

  /** The slow requests so far. */
  public List<Slow> slow() {
    synchronized (served) {
      return List.copyOf(slow);
    }
  }

  public IndexedCrudDispatcher(Consumer<RecordedRequest> observer, boolean indexed, boolean verify) {
    super(List.of());
    this.observer = observer;
    this.indexed = indexed;
    this.verify = verify;
    try {
      // the stock code reads and writes CrudDispatcher.map (empty at this point): give it the indexed map
      Field map = CrudDispatcher.class.getDeclaredField("map");
      map.setAccessible(true);
      map.set(this, synchronizedEntries);
      // single-object GETs must hold the read lock, as the stock GET does: a PUT removes the old
      // entry and puts the new one under the write lock, and a GET must not fall in between
      Field lockField = KubernetesCrudDispatcher.class.getDeclaredField("lock");
      lockField.setAccessible(true);
      lock = (ReadWriteLock) lockField.get(this);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this fabric8 mock server version is not the one IndexedCrudDispatcher knows", e);
    }
  }

  /** How often an indexed answer differed from the stock scan (only counted with {@code verify}). */
  public long mismatches() {
    return mismatches.get();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    observer.accept(request);
    long start = System.nanoTime();
    try {
      return super.dispatch(request);
    } finally {
      long took = System.nanoTime() - start;
      synchronized (served) {
        served.merge(request.getMethod(), new long[] {1, took}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        if (took > SLOW_NANOS || TRACE) {
          slow.add(new Slow(start, request.getMethod() + " " + request.getPath(), took));
        }
      }
    }
  }

  /** Requests served so far per HTTP method: {count, total nanoseconds inside the dispatcher}. */
  public Map<String, long[]> served() {
    synchronized (served) {
      Map<String, long[]> copy = new java.util.TreeMap<>();
      served.forEach((k, v) -> copy.put(k, v.clone()));
      return copy;
    }
  }

  @Override
  public MockResponse handleGet(String path) {
    if (!indexed || path.contains("watch=true")) {
      return super.handleGet(path);
    }
    AttributeSet query = attributeExtractor.fromPath(path);
    if (!indexable(query)) {
      return super.handleGet(path);
    }
    Map.Entry<AttributeSet, String> found;
    lock.readLock().lock();
    try {
      found = findResource(query);
    } finally {
      lock.readLock().unlock();
    }
    // what the stock code answers for a GET by name: the stored object, or 404 without a body
    return found == null ? new MockResponse().setResponseCode(404)
        : new MockResponse().setResponseCode(200).setBody(found.getValue());
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    if (!indexed || !indexable(query)) {
      return super.findResource(query);
    }
    Map.Entry<AttributeSet, String> found = null;
    synchronized (synchronizedEntries) {
      for (AttributeSet candidate : entries.candidates(value(query, PLURAL), value(query, NAMESPACE),
          value(query, NAME))) {
        if (candidate.matches(query)) {
          found = Map.entry(candidate, entries.get(candidate));
          break;
        }
      }
    }
    if (verify) {
      Map.Entry<AttributeSet, String> scanned = super.findResource(query);
      if (!Objects.equals(found == null ? null : found.getKey(), scanned == null ? null : scanned.getKey())) {
        mismatches.incrementAndGet();
      }
    }
    return found;
  }

  /** A query the index answers exactly: plural and name (and namespace, if any) as plain values. */
  private static boolean indexable(AttributeSet query) {
    return value(query, PLURAL) != null && value(query, NAME) != null
        && (!query.containsKey(NAMESPACE) || value(query, NAMESPACE) != null);
  }

  /** The one plain value of this attribute, or null if absent, a wildcard, or not a plain equality. */
  private static String value(AttributeSet set, String key) {
    Attribute attribute = set.getAttribute(key);
    if (attribute == null || attribute.getType() != AttributeType.WITH || attribute.getValues().size() != 1) {
      return null;
    }
    Value value = attribute.getValues().get(0);
    // Value.equals treats its wildcard as equal to everything: such a value cannot be looked up
    return value.equals(NO_SUCH_VALUE) ? null : value.toString();
  }

  /** The stored objects, in insertion order as before, plus the index; callers synchronize on the wrapper. */
  private static final class IndexedMap extends LinkedHashMap<AttributeSet, String> {
    private final Map<String, Set<AttributeSet>> byNamespaceAndName = new HashMap<>();
    private final Map<String, Set<AttributeSet>> byName = new HashMap<>();
    /** Objects without a plain plural or name: always candidates. */
    private final Set<AttributeSet> unindexed = new LinkedHashSet<>();

    @Override
    public String put(AttributeSet key, String value) {
      String previous = super.put(key, value);
      String plural = value(key, PLURAL);
      String name = value(key, NAME);
      if (plural == null || name == null || (key.containsKey(NAMESPACE) && value(key, NAMESPACE) == null)) {
        unindexed.add(key);
      } else {
        byNamespaceAndName.computeIfAbsent(key(plural, value(key, NAMESPACE), name), k -> new LinkedHashSet<>())
            .add(key);
        byName.computeIfAbsent(key(plural, null, name), k -> new LinkedHashSet<>()).add(key);
      }
      return previous;
    }

    @Override
    public void putAll(Map<? extends AttributeSet, ? extends String> map) {
      map.forEach(this::put);
    }

    @Override
    public String remove(Object key) {
      if (key instanceof AttributeSet set && containsKey(set)) {
        unindexed.remove(set);
        String plural = value(set, PLURAL);
        String name = value(set, NAME);
        if (plural != null && name != null) {
          removeFrom(byNamespaceAndName, key(plural, value(set, NAMESPACE), name), set);
          removeFrom(byName, key(plural, null, name), set);
        }
      }
      return super.remove(key);
    }

    @Override
    public void clear() {
      super.clear();
      byNamespaceAndName.clear();
      byName.clear();
      unindexed.clear();
    }

    /** Every stored object that can match a query with this plural, namespace (null: any) and name. */
    List<AttributeSet> candidates(String plural, String namespace, String name) {
      Set<AttributeSet> indexed = namespace == null ? byName.get(key(plural, null, name))
          : byNamespaceAndName.get(key(plural, namespace, name));
      List<AttributeSet> all = new ArrayList<>(unindexed);
      if (indexed != null) {
        all.addAll(indexed);
      }
      return all;
    }

    private static void removeFrom(Map<String, Set<AttributeSet>> index, String key, AttributeSet set) {
      Set<AttributeSet> sets = index.get(key);
      if (sets != null) {
        sets.remove(set);
        if (sets.isEmpty()) {
          index.remove(key);
        }
      }
    }

    private static String key(String plural, String namespace, String name) {
      return plural + '\u0000' + (namespace == null ? "" : namespace) + '\u0000' + name;
    }
  }
}
