package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.aws.RegistryState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Aggregation into one incident: counted once per eventID, bounded whatever the attacker does. */
class AlertMergeTest {
  final RegistryEntry token = new RegistryEntry("AKIAEXAMPLE000000001", "AIDAEXAMPLE000000001", "svc-deploy-1",
      "arn:aws:iam::123456789012:user/svc-deploy-1", "payments", "deploy", "uid-1", "oncall", "here", "notes",
      RegistryState.Active, "prod");

  @Test
  void countsEachEventIdOnce() {
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    assertThat(AlertWriter.merge(spec, token, List.of(match("e1", "1.1.1.1"), match("e2", "1.1.1.2")))).isEqualTo(2);
    assertThat(AlertWriter.merge(spec, token, List.of(match("e2", "1.1.1.2"), match("e3", "1.1.1.3")))).isEqualTo(1);
    assertThat(spec.getEventCount()).isEqualTo(3);
    assertThat(spec.getSourceIPs()).containsExactly("1.1.1.1", "1.1.1.2", "1.1.1.3");
  }

  @Test
  void anAttackerCannotGrowTheObjectWithoutBound() {
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    String huge = "x".repeat(1024);
    for (int batch = 0; batch < 50; batch++) {
      List<TokenMatch> matches = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        int n = batch * 1000 + i;
        matches.add(new TokenMatch(token, new CloudTrailRecord("evt-" + n, "2026-11-30T21:00:00Z",
            "s3.amazonaws.com", "Op" + n + huge, "us-east-" + n, "10.0." + n, huge + n, "AccessDenied", "IAMUser",
            token.principalId(), token.userArn(), "123456789012", token.accessKeyId(), token.userName(), null),
            TokenMatch.MatchedBy.ACCESS_KEY_ID));
      }
      AlertWriter.merge(spec, token, matches);
    }
    assertThat(spec.getEventCount()).isEqualTo(50_000);
    assertThat(spec.getSourceIPs()).hasSize(AlertWriter.MAX_DISTINCT);
    assertThat(spec.getRecentEvents()).hasSize(AlertWriter.MAX_RECENT);
    assertThat(spec.getSeenEventIDs()).hasSize(AlertWriter.MAX_SEEN_IDS);
    int bytes = Serialization.asJson(spec).length();
    assertThat(bytes).as("serialized alert spec").isLessThan(256 * 1024);
  }

  TokenMatch match(String id, String ip) {
    return new TokenMatch(token, new CloudTrailRecord(id, "2026-11-30T21:00:00Z", "s3.amazonaws.com", "ListBuckets",
        "us-east-1", ip, "aws-cli/2", null, "IAMUser", token.principalId(), token.userArn(), "123456789012",
        token.accessKeyId(), token.userName(), null), TokenMatch.MatchedBy.ACCESS_KEY_ID);
  }
}
