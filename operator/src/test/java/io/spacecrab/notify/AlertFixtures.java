package io.spacecrab.notify;

import java.time.Instant;
import java.util.List;

/** Alerts the notify tests render: an ordinary one and one full of attacker-chosen text. */
final class AlertFixtures {
  static final Instant FIRST = Instant.parse("2024-05-01T10:00:00Z");
  static final Instant LAST = Instant.parse("2024-05-01T10:07:30Z");

  private AlertFixtures() {}

  /**
   * Four calls: three from two addresses (the first used twice, once with a GetSessionToken
   * session), one made by AWS Health on a console session's behalf.
   */
  static AlertView sample() {
    return new AlertView(
        "payments-db-creds-3f9a1c2b",
        "honeytoken/prod-eu-1/6d1f0c1e-8a5b-4c1f-9a52-0f3d1e2b7c44",
        "prod-eu-1",
        "payments",
        "db-creds",
        "team-payments",
        "Secret payments/db-creds, mounted by deploy/ledger",
        "Planted 2024-04 during the ledger migration",
        false,
        FIRST,
        LAST,
        4,
        List.of("203.0.113.7", "198.51.100.23"),
        List.of("aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64.debian.12",
            "health.amazonaws.com", "Boto3/1.34.0 md/Botocore#1.34.0"),
        List.of("GetCallerIdentity", "DescribeEventAggregates", "ListBuckets"),
        List.of("us-east-1", "eu-west-1"),
        List.of(
            new AlertView.RecentEvent("1b2c3d4e-0000-4000-8000-000000000001", FIRST,
                "sts.amazonaws.com", "GetCallerIdentity", "203.0.113.7",
                "aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64.debian.12", null, null, true,
                "AwsApiCall", null),
            new AlertView.RecentEvent("1b2c3d4e-0000-4000-8000-000000000004",
                Instant.parse("2024-05-01T10:02:10Z"), "health.amazonaws.com", "DescribeEventAggregates",
                "health.amazonaws.com", "health.amazonaws.com", null, "health.amazonaws.com", true,
                "AwsApiCall", new AlertView.Session("Console", false, Instant.parse("2024-05-01T10:01:40Z"))),
            new AlertView.RecentEvent("1b2c3d4e-0000-4000-8000-000000000002",
                Instant.parse("2024-05-01T10:05:00Z"), "s3.amazonaws.com", "ListBuckets",
                "203.0.113.7", "aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64.debian.12",
                "AccessDenied", null, true, "AwsApiCall",
                new AlertView.Session("SessionToken", false, Instant.parse("2024-05-01T10:04:30Z"))),
            new AlertView.RecentEvent("1b2c3d4e-0000-4000-8000-000000000003", LAST,
                "s3.amazonaws.com", "ListBuckets", "198.51.100.23",
                "Boto3/1.34.0 md/Botocore#1.34.0", "AccessDenied", null, true, "AwsApiCall", null)),
        sourceIpCalls("203.0.113.7", 2L, "198.51.100.23", 1L),
        List.of("health.amazonaws.com"),
        null).withExposure(exposure());
  }

  /** Where the sample's key was exposed: a Deployment and a CronJob of its namespace, two RBAC readers. */
  static AlertView.Exposure exposure() {
    return new AlertView.Exposure("Known", null, null, "payments", "db-creds", Instant.parse("2024-05-01T10:00:05Z"),
        List.of(new AlertView.Workload("CronJob", "ledger-reconcile", List.of("envFrom"), "default"),
            new AlertView.Workload("Deployment", "ledger", List.of("volume", "env"), "ledger")),
        0,
        List.of(new AlertView.Reader("ServiceAccount", "ci", "payments", "RoleBinding/ci-secrets", "Role/read-secrets",
                List.of("get")),
            new AlertView.Reader("Group", "system:masters", null, "ClusterRoleBinding/cluster-admin",
                "ClusterRole/cluster-admin", List.of("*"))),
        3);
  }

  static final String SCANNER_AGENT = "TruffleHog/3.63.2";

  /**
   * The sample as a sink with a knownScanners rule ("trufflehog-ci") sees it: two more calls, both
   * sts:GetCallerIdentity from the scanner, recorded and marked, the four others paging as usual.
   */
  static AlertView scanned() {
    AlertView a = sample();
    List<AlertView.RecentEvent> recent = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      recent.add(new AlertView.RecentEvent("scan-" + i, FIRST.minusSeconds(60 - i), "sts.amazonaws.com",
          "GetCallerIdentity", "192.0.2.5", SCANNER_AGENT, null, null, true, "AwsApiCall", null, "trufflehog-ci"));
    }
    recent.addAll(a.recentEvents());
    return new AlertView(a.alertName(), a.incidentKey(), a.clusterId(), a.tokenNamespace(), a.tokenName(), a.owner(),
        a.location(), a.notes(), a.retired(), FIRST.minusSeconds(60), a.lastSeen(), a.eventCount() + 2,
        List.of("203.0.113.7", "192.0.2.5", "198.51.100.23"), List.of(a.userAgents().get(0), SCANNER_AGENT),
        a.eventNames(), a.regions(), recent, sourceIpCalls("203.0.113.7", 2L, "192.0.2.5", 2L, "198.51.100.23", 1L),
        a.invokedBy(), null, List.of(new AlertView.ScannerCalls("trufflehog-ci", "192.0.2.5", SCANNER_AGENT, 2)),
        AlertView.KEY_USED, null);
  }

  /** The operator's alert for a use IAM reports and CloudTrail does not show. */
  static AlertView withoutTrail() {
    Instant at = Instant.parse("2024-05-01T10:07:00Z");
    return new AlertView("deploy-iam-0a1b2c3d", "6f1c2d3e-0000-4000-8000-00000000cafe", "prod-eu-1", "payments",
        "deploy", "payments-oncall", null, null, false, at, at, 0, null, null, null, List.of("eu-west-1"), null, null,
        null, null, List.of(), AlertView.USED_WITHOUT_TRAIL, new AlertView.IamUse(at, "sts", "eu-west-1"));
  }

  static java.util.Map<String, Long> sourceIpCalls(Object... ipThenCalls) {
    java.util.Map<String, Long> calls = new java.util.LinkedHashMap<>();
    for (int i = 0; i < ipThenCalls.length; i += 2) {
      calls.put((String) ipThenCalls[i], (Long) ipThenCalls[i + 1]);
    }
    return calls;
  }

  /** Text an attacker can put in the fields CloudTrail records (user agent above all). */
  static final String MENTIONS = "<!channel> <!here> <!everyone> @channel @here <@U024BE7LH>";
  static final String FORGED_LINK = "<http://evil.example/login|Click to acknowledge>";
  static final String FORMATTING = "*bold* _italic_ ~strike~ `code` ```block``` > quote";
  static final String CONTROL = "line1\r\nSubject: forged\r\n\tBcc: x@evil.example\u0000\u0007\u001b[31m";
  static final String BIDI = "safe\u202Etxt.exe\u200B\u2066hidden\u2069";

  static AlertView hostile() {
    String agent = MENTIONS + " " + FORGED_LINK + " " + FORMATTING + " " + CONTROL + " " + BIDI
        + " & < > " + "A".repeat(5000);
    return new AlertView(
        "payments-db-creds-3f9a1c2b",
        "honeytoken/prod-eu-1/6d1f0c1e",
        "prod-eu-1",
        "payments",
        "db-creds",
        "team-payments " + MENTIONS,
        "Secret " + FORGED_LINK,
        FORMATTING + "\n" + CONTROL + "\n" + "&".repeat(3000),
        true,
        FIRST,
        LAST,
        50,
        List.of("203.0.113.7", FORGED_LINK, "<!channel>"),
        List.of(agent, agent, agent, agent, agent, agent, agent),
        List.of("ListBuckets" + CONTROL, "`GetCallerIdentity`", MENTIONS),
        List.of("us-east-1"),
        java.util.stream.IntStream.range(0, 12).mapToObj(i -> new AlertView.RecentEvent(
            "id-" + i, FIRST.plusSeconds(i), "s3.amazonaws.com" + CONTROL, "ListBuckets<>&",
            FORGED_LINK, agent, "AccessDenied " + MENTIONS + " " + FORMATTING,
            i % 2 == 0 ? null : MENTIONS + CONTROL, true, "AwsApiCall" + FORMATTING,
            new AlertView.Session(FORGED_LINK + CONTROL, true, FIRST))).toList(),
        sourceIpCalls("203.0.113.7", 40L, FORGED_LINK, 9L, "<!channel>", 1L),
        List.of(MENTIONS + CONTROL, FORGED_LINK),
        java.util.EnumSet.allOf(AlertView.Listed.class))
        .withExposure(new AlertView.Exposure("Known", null, null, "payments", "db-creds" + CONTROL, FIRST,
            List.of(new AlertView.Workload("Deployment", FORGED_LINK + MENTIONS, List.of("volume"), FORMATTING)),
            0, List.of(new AlertView.Reader("User", MENTIONS + CONTROL + BIDI, null, "RoleBinding/" + FORGED_LINK,
                "ClusterRole/" + FORMATTING, List.of("get"))), 0));
  }
}
