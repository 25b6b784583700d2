package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmailMessageTest {

  @Test
  void ordinaryAlertHasASummarySubjectAndTheFactsInTheBody() {
    EmailMessage mail = EmailMessage.of(AlertFixtures.sample(), NotificationKind.OPENED);

    assertThat(mail.subject()).isEqualTo("[SpaceCrab] AWS honey token payments/db-creds used:"
        + " 4 API calls (GetCallerIdentity, DescribeEventAggregates, ListBuckets) from 203.0.113.7"
        + " (2 of 4 API calls, +1 more address) in cluster prod-eu-1");
    assertThat(mail.body())
        .contains("Token:        payments/db-creds\n")
        .contains("Owner:        team-payments\n")
        .contains("Location:     Secret payments/db-creds, mounted by deploy/ledger\n")
        .contains("First seen:   2024-05-01T10:00:00Z\n")
        .contains("Last seen:    2024-05-01T10:07:30Z\n")
        .contains("API calls:    4\n")
        .contains("Source IPs:   203.0.113.7 (2 API calls), 198.51.100.23 (1 API call)\n")
        .contains("Invoked by:   health.amazonaws.com\n")
        .contains("API names:    GetCallerIdentity, DescribeEventAggregates, ListBuckets\n")
        .contains("Regions:      us-east-1, eu-west-1\n")
        .contains("2024-05-01T10:07:30Z  s3.amazonaws.com ListBuckets from 198.51.100.23"
            + " -> AccessDenied")
        .contains("2024-05-01T10:02:10Z  health.amazonaws.com DescribeEventAggregates invoked by"
            + " health.amazonaws.com\n")
        .contains("      session:    Console session, no MFA, created 2024-05-01T10:01:40Z\n")
        .contains("Incident:     honeytoken/prod-eu-1/6d1f0c1e-8a5b-4c1f-9a52-0f3d1e2b7c44\n");
    assertThat(mail.body().indexOf("10:07:30Z  s3")).isLessThan(mail.body().indexOf("10:00:00Z  sts"));
  }

  @Test
  void theBodySaysWhereTheKeyWasExposed() {
    String body = EmailMessage.of(AlertFixtures.sample(), NotificationKind.OPENED).body();

    assertThat(body).contains("Where the key was exposed (Secret payments/db-creds, read 2024-05-01T10:00:05Z):\n"
        + "  Workloads that could read it:\n"
        + "    CronJob/ledger-reconcile (envFrom)\n"
        + "    Deployment/ledger (volume, env)\n"
        + "  RBAC subjects that may read it:\n"
        + "    ServiceAccount payments/ci via RoleBinding/ci-secrets (Role/read-secrets: get)\n"
        + "    Group system:masters via ClusterRoleBinding/cluster-admin (ClusterRole/cluster-admin: *)\n"
        + "    +3 more not listed\n");
    String unknown = EmailMessage.of(AlertFixtures.sample().withExposure(new AlertView.Exposure("Unknown", "Timeout",
        "The reads took longer than 10 s.", "payments", "db-creds", AlertFixtures.FIRST, java.util.List.of(), 0,
        java.util.List.of(), 0)), NotificationKind.OPENED).body();
    assertThat(unknown).contains("  unknown (Timeout): The reads took longer than 10 s.\n");
  }

  @Test
  void subjectIsOneBoundedLineWhateverTheAttackerSends() {
    AlertView hostile = AlertFixtures.hostile();
    EmailMessage mail = EmailMessage.of(hostile, NotificationKind.OPENED);

    assertThat(mail.subject()).doesNotContain("\r").doesNotContain("\n")
        .hasSizeLessThanOrEqualTo(EmailMessage.SUBJECT_MAX)
        .satisfies(s -> assertThat(s.chars().noneMatch(Character::isISOControl)).isTrue());
    assertThat(mail.subject()).startsWith("[SpaceCrab] retired AWS honey token");
  }

  @Test
  void attackerTextCannotForgeLinesOrHeadersInTheBody() {
    EmailMessage mail = EmailMessage.of(AlertFixtures.hostile(), NotificationKind.OPENED);

    assertThat(mail.body()).doesNotContain("\r").doesNotContain("\t")
        .doesNotContain("\u202E").doesNotContain("\u200B").doesNotContain("\u001b");
    for (String line : mail.body().split("\n")) {
      assertThat(line).doesNotStartWith("Subject:").doesNotStartWith("Bcc:")
          .hasSizeLessThanOrEqualTo(EmailMessage.VALUE_MAX * EmailMessage.LIST_SHOWN + 200);
      assertThat(line.chars().noneMatch(Character::isISOControl)).isTrue();
    }
    assertThat(mail.body()).contains("line1 Subject: forged").contains("Retired key:  yes")
        .contains("(more not kept: the alert keeps 20)");
  }

  @Test
  void resolvedSubjectSaysResolved() {
    EmailMessage mail = EmailMessage.of(AlertFixtures.sample(), NotificationKind.RESOLVED);

    assertThat(mail.subject()).isEqualTo("[SpaceCrab] Resolved: AWS honey token payments/db-creds"
        + " alert after 4 API calls in cluster prod-eu-1");
    assertThat(mail.body()).startsWith("The alert for this AWS honey token was resolved.");
  }

  @Test
  void saysWhichCallsKnownScannersMade() {
    EmailMessage m = EmailMessage.of(AlertFixtures.scanned(), NotificationKind.OPENED);
    assertThat(m.subject()).contains("6 API calls");
    assertThat(m.body()).contains("Known scanners: 2 API calls recorded, not paged for:\n"
        + "  rule trufflehog-ci: 192.0.2.5, TruffleHog/3.63.2 (2 API calls)\n")
        .contains("      known scanner: trufflehog-ci\n");
  }
}
