package io.spacecrab.detect;

import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.detect.TokenMatch.MatchedBy;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;

/**
 * Attributes CloudTrail records to honey tokens of an in-memory registry snapshot. As a
 * {@link RecordFilter} it rejects other principals' records with a few hash lookups whose cost
 * does not depend on the registry size, without allocating. It remembers the session keys that
 * tokens' users mint (GetSessionToken), so later records carrying only such a key still match.
 * Thread-safe; one matcher serves all parsing threads.
 */
public final class TokenMatcher implements RecordFilter {
  /** Session keys remembered by default; the oldest is forgotten first. */
  public static final int DEFAULT_MAX_SESSION_KEYS = 10_000;

  private final int maxSessionKeys;
  private final LinkedHashMap<String, RegistryRecord> sessionKeys = new LinkedHashMap<>();
  private volatile RegistrySnapshot registry;
  private volatile KeyIndex<RegistryRecord> sessionIndex = KeyIndex.empty();
  private volatile ValueScreen screen;

  /** A matcher over this registry remembering up to {@link #DEFAULT_MAX_SESSION_KEYS}. */
  public TokenMatcher(RegistrySnapshot registry) {
    this(registry, DEFAULT_MAX_SESSION_KEYS);
  }

  /** A matcher over this registry remembering up to {@code maxSessionKeys} minted keys. */
  public TokenMatcher(RegistrySnapshot registry, int maxSessionKeys) {
    if (maxSessionKeys < 0) {
      throw new IllegalArgumentException("maxSessionKeys < 0");
    }
    this.registry = Objects.requireNonNull(registry, "registry");
    this.maxSessionKeys = maxSessionKeys;
    screen = ValueScreen.of(registry, sessionIndex);
  }

  /** The snapshot matched against now. */
  public RegistrySnapshot registry() {
    return registry;
  }

  /** Matches against a new snapshot from now on; remembered session keys are kept. */
  public void replaceRegistry(RegistrySnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    synchronized (this) {
      registry = snapshot;
      screen = ValueScreen.of(snapshot, sessionIndex);
    }
  }

  /**
   * The screen of the values this matcher's records may carry (registry and session keys as of
   * now), for skipping records before they are parsed; null when records must all be parsed.
   * Swapped whole whenever the registry or the session keys change.
   */
  ValueScreen screen() {
    return screen;
  }

  /**
   * True if any identity field names a token or a remembered session key, or the key id is an
   * unknown long-term key of a token account (so the caller can ask {@link #looksLikeOurs}).
   */
  @Override
  public boolean mightMatch(
      CharSequence accessKeyId, CharSequence principalId, CharSequence arn, CharSequence userName) {
    RegistrySnapshot r = registry;
    return r.byAccessKeyId(accessKeyId) != null
        || sessionIndex.get(accessKeyId) != null
        || r.byPrincipalId(principalId) != null
        || r.byArn(arn) != null
        || r.byUserName(userName) != null
        || r.isLongTermKeyOfOurAccount(accessKeyId);
  }

  /**
   * The token this record belongs to, matched by access key id, remembered session key,
   * principal id, ARN, then user name (only within the token's account). A match that carries a
   * minted session key ({@code responseElements.credentials.accessKeyId}) teaches this matcher
   * that key. Idempotent for a replayed record.
   */
  public Optional<TokenMatch> match(CloudTrailRecord record) {
    RegistrySnapshot r = registry;
    String keyId = record.accessKeyId();
    RegistryRecord entry = r.byAccessKeyId(keyId);
    MatchedBy by = MatchedBy.ACCESS_KEY_ID;
    if (entry == null) {
      RegistryRecord learned = sessionIndex.get(keyId);
      if (learned != null) {
        RegistryRecord current = r.byAccessKeyId(learned.accessKeyId());
        entry = current != null ? current : learned;
        by = MatchedBy.SESSION_KEY_ID;
      }
    }
    if (entry == null) {
      entry = r.byPrincipalId(record.principalId());
      by = MatchedBy.PRINCIPAL_ID;
    }
    if (entry == null) {
      entry = r.byArn(record.arn());
      by = MatchedBy.ARN;
    }
    if (entry == null) {
      entry = r.byUserName(record.userName());
      by = MatchedBy.USER_NAME;
      if (entry != null && !sameAccount(record, entry)) {
        entry = null;
      }
    }
    if (entry == null) {
      return Optional.empty();
    }
    remember(record, entry);
    return Optional.of(new TokenMatch(entry, record, by));
  }

  /**
   * True for a long-term key id ({@code AKIA…}) that is not in the registry but encodes one of
   * the tokens' accounts: a token newer than this snapshot, so refresh the registry and match
   * again.
   */
  public boolean looksLikeOurs(String accessKeyId) {
    return registry.isUnknownKeyOfOurAccount(accessKeyId);
  }

  /** Number of minted session keys remembered now. */
  public synchronized int sessionKeyCount() {
    return sessionKeys.size();
  }

  private void remember(CloudTrailRecord record, RegistryRecord entry) {
    String minted = record.sessionAccessKeyId();
    if (maxSessionKeys == 0
        || minted == null
        || record.failed()
        || !AccessKeyId.isSession(minted)) {
      return;
    }
    synchronized (this) {
      if (sessionKeys.containsKey(minted)) {
        return;
      }
      sessionKeys.put(minted, entry);
      Iterator<String> oldest = sessionKeys.keySet().iterator();
      while (sessionKeys.size() > maxSessionKeys) {
        oldest.next();
        oldest.remove();
      }
      sessionIndex = KeyIndex.of(sessionKeys);
      screen = ValueScreen.of(registry, sessionIndex);
    }
  }

  private static boolean sameAccount(CloudTrailRecord record, RegistryRecord entry) {
    String recordAccount =
        record.accountId() != null ? record.accountId() : RegistryRecord.accountOfArn(record.arn());
    String entryAccount = entry.accountId();
    return recordAccount == null || entryAccount == null || recordAccount.equals(entryAccount);
  }
}
