package io.spacecrab.notify;

import io.fabric8.kubernetes.api.model.Secret;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.kube.NamespaceSelector;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Whether an AlertSink can deliver, decided without sending anything and without DNS: its spec
 * (required fields, allow-list, token selector, then its type's own fields), its Secret (there,
 * with the keys its type needs) and what the Secret holds (its type's checks, e.g. a destination
 * URL by {@link #destination}: valid, https unless allowHttp, without user info, not a literal
 * private, loopback or link-local address outside the allow-list). What a type needs is declared
 * by its {@link Sink}, looked up in the {@link SinkDispatcher}. The AlertSink reconciler reports the
 * first problem as Ready=False; delivery does not use a sink that has one. A host name's addresses
 * are checked at each send ({@link DestinationPolicy}). Invalid {@code knownScanners} rules are
 * reported by {@link #readiness} only: they do not stop delivery. Messages name a Secret's keys and a
 * destination's scheme://host, never a URL's path, user info or a secret.
 */
public final class SinkValidation {
  /** No DNS here: literal addresses are checked, host names pass (they are resolved at each send). */
  private static final HostResolver LITERALS_ONLY = host -> {
    if (!AddressBlock.isIpLiteral(host)) {
      throw new UnknownHostException("not resolved while validating");
    }
    return InetAddress.getAllByName(host);
  };

  private final SinkDispatcher types;

  /** Validates sinks of the types {@code types} holds. */
  public SinkValidation(SinkDispatcher types) {
    this.types = types;
  }

  /** A reason why a sink cannot deliver: a CamelCase reason and a sentence for a human. */
  public record Problem(String reason, String message) {}

  /**
   * The first problem of a sink of this spec in {@code namespace} whose Secret is {@code secret}
   * (null: it does not exist); empty when the sink can deliver.
   */
  public Optional<Problem> check(AlertSinkSpec spec, String namespace, Secret secret) {
    Optional<Problem> specProblem = spec(spec);
    if (specProblem.isPresent()) {
      return specProblem;
    }
    String secretName = spec.getSecretRef().getName();
    if (secret == null) {
      return problem("SecretMissing", "Secret " + secretName + " does not exist in namespace " + namespace + ".");
    }
    Sink<?> type = types.sink(spec.getType());
    List<String> missing = SinkCredentials.missing(type.secretKeys(), secret);
    if (!missing.isEmpty()) {
      return problem("SecretKeyMissing", "Secret " + secretName + " lacks " + String.join(", ", missing)
          + " (needed for type " + spec.getType() + ").");
    }
    return type.checkSecret(spec, secretName, SinkCredentials.from(secret));
  }

  /**
   * What the sink's Ready condition says: the first problem {@link #check} finds (the sink delivers
   * nothing), else the first problem of its {@code knownScanners} rules as {@code
   * InvalidKnownScanners}: such a sink still delivers, suppressing nothing, so a mistyped rule
   * never silences a page.
   */
  public Optional<Problem> readiness(AlertSinkSpec spec, String namespace, Secret secret) {
    Optional<Problem> problem = check(spec, namespace, secret);
    if (problem.isPresent() || spec.getKnownScanners() == null) {
      return problem;
    }
    List<String> rules = KnownScanners.problems(spec.getKnownScanners());
    return rules.isEmpty() ? Optional.empty() : problem("InvalidKnownScanners", String.join("; ", rules)
        + ". Until this is fixed the sink is notified of every call, known scanners' included.");
  }

  /** The first problem of the spec alone. */
  Optional<Problem> spec(AlertSinkSpec spec) {
    if (spec == null || spec.getType() == null || spec.getSecretRef() == null
        || spec.getSecretRef().getName() == null || spec.getSecretRef().getName().isBlank()) {
      return problem("InvalidSpec", "spec.type and spec.secretRef.name are required.");
    }
    List<String> allowList = spec.getAllowDestinations() == null ? List.of() : spec.getAllowDestinations();
    List<String> badEntries = DestinationPolicy.problems(allowList);
    if (!badEntries.isEmpty()) {
      return problem("InvalidSpec", "spec.allowDestinations: " + String.join("; ", badEntries) + ".");
    }
    if (spec.getMatch() != null && spec.getMatch().getTokenLabels() != null) {
      List<String> selector = NamespaceSelector.problems(spec.getMatch().getTokenLabels(), "spec.match.tokenLabels");
      if (!selector.isEmpty()) {
        return problem("InvalidSpec", String.join("; ", selector) + ".");
      }
    }
    return types.sink(spec.getType()).checkSpec(spec);
  }

  /** The destination URL the Secret holds under {@code key}, checked by {@link #destination}. */
  static Optional<Problem> destinationIn(String secretName, String key, SinkCredentials credentials,
      AlertSinkSpec spec) {
    return destination("Secret " + secretName + ", key " + key, credentials.get(key), spec);
  }

  /**
   * {@code InvalidDestination} when {@code url} (found at {@code where}) can never be allowed for
   * this spec, in words naming scheme://host at most.
   */
  static Optional<Problem> destination(String where, String url, AlertSinkSpec spec) {
    if (url == null || url.isBlank()) {
      return invalidDestination(where, "the URL is empty");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      return invalidDestination(where, "the value is not a valid URL"); // the parser's message quotes the URL
    }
    DestinationPolicy.Decision decision = new DestinationPolicy(Boolean.TRUE.equals(spec.getAllowHttp()),
        spec.getAllowDestinations() == null ? List.of() : spec.getAllowDestinations(), LITERALS_ONLY).check(uri);
    return decision.verdict() == DestinationPolicy.Verdict.REFUSED ? invalidDestination(where, decision.reason())
        : Optional.empty();
  }

  private static Optional<Problem> invalidDestination(String where, String why) {
    return problem("InvalidDestination", where + ": " + why + ".");
  }

  static Optional<Problem> problem(String reason, String message) {
    return Optional.of(new Problem(reason, message));
  }
}
