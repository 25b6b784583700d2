package io.spacecrab.detect;

import io.spacecrab.api.Names;
import io.spacecrab.api.Alerts;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.spacecrab.api.Timestamps;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.api.v1alpha1.TokenRef;
import io.spacecrab.aws.RegistryRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * What adding matched uses of one token does to its stored HoneyTokenAlerts, without I/O: the
 * incidents {@link IncidentGrouping} says, as alert objects to create or update. An incident
 * that a use joins to an older one is folded into it ({@link AlertMerge#absorb}) and marked
 * {@code mergedInto}; it is never deleted, and no incident is ever split. Alert names derive
 * from the token and the incident number only, so writers that read the same alerts write the
 * same objects.
 */
final class IncidentChanges {
  private IncidentChanges() {}

  /** An incident to write: created when it has no resourceVersion yet; {@code added} uses newly counted. */
  record Write(HoneyTokenAlert alert, int added) {
    boolean create() {
      return alert.getMetadata().getResourceVersion() == null;
    }
  }

  /**
   * The writes, in the order to make them: the incidents that grew or opened first, then the ones
   * folded into them (so that a crash in between leaves every use in a live incident; the next
   * write of the token folds the leftover again, harmlessly).
   */
  record Changes(List<Write> incidents, List<HoneyTokenAlert> folded) {
    /** Uses newly counted. */
    int counted() {
      return incidents.stream().mapToInt(Write::added).sum();
    }
  }

  /**
   * The changes that add {@code matches} to the token's {@code stored} alerts (every alert of the
   * token, folded ones included: they hold incident numbers). Changes the stored alerts it returns.
   */
  static Changes plan(RegistryRecord token, Collection<HoneyTokenAlert> stored, List<TokenMatch> matches,
      Duration window, String alertNamespace) {
    TreeMap<Integer, HoneyTokenAlert> live = new TreeMap<>();
    List<IncidentGrouping.Span> spans = new ArrayList<>();
    List<HoneyTokenAlert> resolved = new ArrayList<>();
    int highest = 0;
    for (HoneyTokenAlert a : stored) {
      HoneyTokenAlertSpec s = a.getSpec();
      if (s == null || s.getIncident() == null) {
        continue;
      }
      highest = Math.max(highest, s.getIncident());
      Instant first = Timestamps.parse(s.getFirstSeen());
      Instant last = Timestamps.parse(s.getLastSeen());
      if (s.getMergedInto() != null || first == null || last == null || live.containsKey(s.getIncident())) {
        continue;
      }
      if (Boolean.TRUE.equals(s.getResolved())) {
        resolved.add(a);
        continue;
      }
      live.put(s.getIncident(), a);
      spans.add(new IncidentGrouping.Span(s.getIncident(), first, last.isBefore(first) ? first : last));
    }
    List<Write> incidents = new ArrayList<>();
    // A resolved incident is closed: it takes a late record of its own time span (a file that came
    // late), nothing after it. A use after it opens a new incident, which pages: someone resolving
    // an alert must never silence the next use of the key.
    List<TokenMatch> open = new ArrayList<>();
    java.util.Map<HoneyTokenAlert, List<TokenMatch>> late = new java.util.LinkedHashMap<>();
    for (TokenMatch m : matches) {
      Instant t = AlertMerge.time(m.record());
      HoneyTokenAlert within = resolved.stream().filter(a -> !t.isBefore(Timestamps.parse(a.getSpec().getFirstSeen()))
          && !t.isAfter(Timestamps.parse(a.getSpec().getLastSeen()))).findFirst().orElse(null);
      if (within == null) {
        open.add(m);
      } else {
        late.computeIfAbsent(within, a -> new ArrayList<>()).add(m);
      }
    }
    late.forEach((alert, uses) -> {
      int added = AlertMerge.merge(alert.getSpec(), token, uses);
      if (added > 0) {
        incidents.add(new Write(alert, added));
      }
    });
    matches = open;
    List<HoneyTokenAlert> folded = new ArrayList<>();
    for (IncidentGrouping.Group g : IncidentGrouping.group(spans, matches, window, highest + 1)) {
      HoneyTokenAlert target = g.opened() ? newAlert(token, g.incident(), alertNamespace) : live.get(g.incident());
      for (int n : g.absorbed()) {
        HoneyTokenAlert from = live.get(n);
        AlertMerge.absorb(target.getSpec(), from.getSpec());
        from.getSpec().setMergedInto(target.getMetadata().getName());
        folded.add(from);
      }
      int added = AlertMerge.merge(target.getSpec(), token, g.uses());
      if (added > 0 || !g.absorbed().isEmpty()) {
        incidents.add(new Write(target, added));
      }
    }
    return new Changes(incidents, folded);
  }

  /** Deterministic: every detector replica names the n-th incident of a token the same. */
  static String alertName(RegistryRecord token, int incident) {
    String base = token.name() == null ? "token" : token.name();
    base = base.length() > 40 ? base.substring(0, 40) : base;
    base = base.replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
    return (base.isEmpty() ? "token" : base) + "-" + Names.hash(tokenKey(token) + "/" + incident, 8);
  }

  /** The token's uid, or its key id when it has none: the value of the token-uid label. */
  static String tokenKey(RegistryRecord token) {
    return token.uid() != null ? token.uid() : token.accessKeyId();
  }

  private static HoneyTokenAlert newAlert(RegistryRecord token, int incident, String alertNamespace) {
    HoneyTokenAlert alert = new HoneyTokenAlert();
    alert.setMetadata(new ObjectMetaBuilder().withName(alertName(token, incident)).withNamespace(alertNamespace)
        .addToLabels(Alerts.LABEL_TOKEN_UID, tokenKey(token))
        .addToLabels(Alerts.LABEL_TOKEN_NAMESPACE, Names.labelValue(token.namespace()))
        .addToLabels(Alerts.LABEL_TOKEN_NAME, Names.labelValue(token.name()))
        .build());
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    spec.setToken(new TokenRef(token.namespace(), token.name(), token.uid()));
    spec.setIncident(incident);
    spec.setEventCount(0L);
    alert.setSpec(spec);
    return alert;
  }
}
