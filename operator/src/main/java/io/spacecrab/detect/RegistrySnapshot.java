package io.spacecrab.detect;

import io.spacecrab.aws.RegistryRecord;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * An immutable, indexed copy of the token registry: hash lookups by key id, principal id, ARN and
 * user name, and the set of accounts the tokens live in. Build a new one on each refresh.
 */
public final class RegistrySnapshot {
  private static final Comparator<RegistryRecord> PREFERRED =
      Comparator.comparing(RegistryRecord::state).thenComparing(RegistryRecord::accessKeyId);
  private static final RegistrySnapshot EMPTY = of(List.of());

  private final List<RegistryRecord> entries;
  private final KeyIndex<RegistryRecord> byAccessKeyId;
  private final KeyIndex<RegistryRecord> byPrincipalId;
  private final KeyIndex<RegistryRecord> byArn;
  private final KeyIndex<RegistryRecord> byUserName;
  private final long[] accounts;
  private final long[] shapes = ValueScreen.newShapes();
  private final Fingerprints fingerprints;
  private final boolean plainAscii;

  private RegistrySnapshot(Collection<RegistryRecord> entries, Collection<String> extraAccounts) {
    this.entries = List.copyOf(entries);
    byAccessKeyId = index(this.entries, RegistryRecord::accessKeyId);
    byPrincipalId = index(this.entries, RegistryRecord::principalId);
    byArn = index(this.entries, RegistryRecord::userArn);
    byUserName = index(this.entries, RegistryRecord::userName);
    TreeSet<Long> ids = new TreeSet<>();
    for (RegistryRecord e : this.entries) {
      addAccount(ids, e.accountId());
    }
    for (String a : extraAccounts) {
      addAccount(ids, a);
    }
    accounts = ids.stream().mapToLong(Long::longValue).toArray();
    plainAscii =
        byAccessKeyId.isPlainAscii()
            && byPrincipalId.isPlainAscii()
            && byArn.isPlainAscii()
            && byUserName.isPlainAscii();
    fingerprints =
        Fingerprints.of(
            List.of(
                texts(this.entries, RegistryRecord::accessKeyId),
                texts(this.entries, RegistryRecord::principalId),
                texts(this.entries, RegistryRecord::userArn),
                texts(this.entries, RegistryRecord::userName)));
    byAccessKeyId.addShapes(shapes);
    byPrincipalId.addShapes(shapes);
    byArn.addShapes(shapes);
    byUserName.addShapes(shapes);
    if (accounts.length > 0) {
      ValueScreen.addShape(shapes, AccessKeyId.LENGTH, 'A');
    }
  }

  /** A registry with no tokens. */
  public static RegistrySnapshot empty() {
    return EMPTY;
  }

  /** Indexes these entries; the accounts are those of their ARNs. */
  public static RegistrySnapshot of(Collection<RegistryRecord> entries) {
    return new RegistrySnapshot(entries, List.of());
  }

  /** Indexes these entries; the accounts are those of their ARNs plus {@code accountIds}. */
  public static RegistrySnapshot of(
      Collection<RegistryRecord> entries, Collection<String> accountIds) {
    return new RegistrySnapshot(entries, accountIds);
  }

  /** Number of entries. */
  public int size() {
    return entries.size();
  }

  /** The entries, in the order given. */
  public List<RegistryRecord> entries() {
    return entries;
  }

  /** The 12-digit ids of the accounts the tokens live in. */
  public Set<String> accountIds() {
    TreeSet<String> ids = new TreeSet<>();
    for (long a : accounts) {
      ids.add(AccessKeyId.formatAccount(a));
    }
    return ids;
  }

  /** The entry of this access key id. */
  public Optional<RegistryRecord> findByAccessKeyId(String accessKeyId) {
    return Optional.ofNullable(byAccessKeyId.get(accessKeyId));
  }

  RegistryRecord byAccessKeyId(CharSequence keyId) {
    return byAccessKeyId.get(keyId);
  }

  RegistryRecord byPrincipalId(CharSequence principalId) {
    return byPrincipalId.get(principalId);
  }

  RegistryRecord byArn(CharSequence arn) {
    return byArn.get(arn);
  }

  RegistryRecord byUserName(CharSequence userName) {
    return byUserName.get(userName);
  }

  /** True for a long-term key id that is not registered but encodes one of our accounts. */
  boolean isUnknownKeyOfOurAccount(CharSequence keyId) {
    return isLongTermKeyOfOurAccount(keyId) && byAccessKeyId.get(keyId) == null;
  }

  /**
   * True if these raw JSON string bytes (not decoded) are a key id, principal id, ARN or user name
   * of an entry, or a long-term key id of one of our accounts. Exact only when
   * {@link #isPlainAscii()}.
   */
  boolean mightHold(byte[] bytes, int offset, int length) {
    boolean fits =
        byAccessKeyId.fits(bytes, offset, length)
            || byPrincipalId.fits(bytes, offset, length)
            || byArn.fits(bytes, offset, length)
            || byUserName.fits(bytes, offset, length);
    if (fits
        && fingerprints.mightContain(Fingerprints.sketch(bytes, offset, length))
        && (byAccessKeyId.get(bytes, offset, length) != null
            || byPrincipalId.get(bytes, offset, length) != null
            || byArn.get(bytes, offset, length) != null
            || byUserName.get(bytes, offset, length) != null)) {
      return true;
    }
    return isLongTermKeyOfOurAccount(bytes, offset, length);
  }

  /** True if every indexed value is plain ASCII, which JSON writes as its own bytes. */
  boolean isPlainAscii() {
    return plainAscii;
  }

  /** The shapes (length, first character) of every value {@link #mightHold} can be true for. */
  long[] shapes() {
    return shapes;
  }

  private boolean isLongTermKeyOfOurAccount(byte[] bytes, int offset, int length) {
    if (accounts.length == 0 || !AccessKeyId.isLongTerm(bytes, offset, length)) {
      return false;
    }
    long account = AccessKeyId.accountOf(bytes, offset);
    return account >= 0 && Arrays.binarySearch(accounts, account) >= 0;
  }

  /** True for a long-term key id that encodes one of our accounts, registered or not. */
  boolean isLongTermKeyOfOurAccount(CharSequence keyId) {
    if (accounts.length == 0 || !AccessKeyId.isLongTerm(keyId)) {
      return false;
    }
    long account = AccessKeyId.accountOf(keyId);
    return account >= 0 && Arrays.binarySearch(accounts, account) >= 0;
  }

  private static KeyIndex<RegistryRecord> index(
      List<RegistryRecord> entries, Function<RegistryRecord, String> key) {
    Map<String, RegistryRecord> map = new HashMap<>(entries.size() * 2);
    for (RegistryRecord e : entries) {
      String k = key.apply(e);
      if (k != null && !k.isEmpty()) {
        map.merge(k, e, (a, b) -> PREFERRED.compare(a, b) <= 0 ? a : b);
      }
    }
    return KeyIndex.of(map);
  }

  private static List<String> texts(List<RegistryRecord> entries, Function<RegistryRecord, String> key) {
    return entries.stream().map(key).toList();
  }

  private static void addAccount(TreeSet<Long> ids, String accountId) {
    if (accountId != null
        && accountId.length() == 12
        && accountId.chars().allMatch(Character::isDigit)) {
      ids.add(Long.parseLong(accountId));
    }
  }

  @Override
  public String toString() {
    return "RegistrySnapshot[" + entries.size() + " entries, accounts " + accountIds() + "]";
  }
}
