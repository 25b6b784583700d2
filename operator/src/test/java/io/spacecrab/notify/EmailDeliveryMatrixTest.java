package io.spacecrab.notify;

import static io.spacecrab.notify.DeliveryMatrixTest.DEADLINE;
import static io.spacecrab.notify.DeliveryMatrixTest.NS;
import static io.spacecrab.notify.DeliveryMatrixTest.alert;
import static io.spacecrab.notify.DeliveryMatrixTest.delivery;
import static io.spacecrab.notify.DeliveryMatrixTest.firstRetry;
import static io.spacecrab.notify.DeliveryMatrixTest.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.SinkType;
import io.spacecrab.testing.AlertSinks;
import io.spacecrab.testing.AwsFaults;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.Receiver;
import io.spacecrab.testing.Receiver.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;
import io.spacecrab.testing.OwnJvm;

/**
 * Email sinks, delivered by the real operator through SES on moto, with the answers the HTTP sinks
 * get in DeliveryMatrixTest: success and MessageRejected (an unverified sender) come from moto
 * itself; SES's throttling answer (HTTP 400 Throttling) and a 503 are injected into the first
 * SendEmail of their sink by {@link AwsFaults}, which also diverts the first SendEmail of other
 * sinks to local servers that hang, dribble the body past the deadline, or redirect to the metadata
 * address. Each sink has its own sender address, by which the faults pick their calls.
 */
@OwnJvm
class EmailDeliveryMatrixTest {
  static final String METADATA = "http://169.254.169.254/latest/meta-data/";

  @Test
  void eachAnswerLeadsToTheRightDeliveryState() {
    MotoServer moto = MotoServer.shared();
    moto.reset();
    List<Receiver> receivers = new ArrayList<>();
    try (KubeApi kube = KubeApi.start();
        SesClient ses = SesClient.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION))
            .credentialsProvider(moto.adminCredentials()).httpClientBuilder(UrlConnectionHttpClient.builder())
            .build()) {
      kube.createNamespace(NS);
      var config = OperatorUnderTest.config(moto, DeliveryMatrixTest.FLAGS);
      OperatorUnderTest.createRegistry(moto, config);
      for (String sender : List.of("success", "throttled", "flaky", "timeout", "dribble", "redirect")) {
        ses.verifyEmailIdentity(r -> r.emailAddress(sender + "@example.com"));
      }
      Receiver hang = add(receivers, Receiver.answering(Answer.after(Duration.ofSeconds(10), 200)));
      // a success response whose XML never ends in time: the SDK waits for the rest
      Receiver dribble = add(receivers, Receiver.answering(Answer.dribbling(200,
          "<SendEmailResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">", Duration.ofSeconds(8))));
      Receiver redirect = add(receivers, Receiver.answering(new Answer(302, Map.of("Location", METADATA), "")));
      AwsFaults throttled = AwsFaults.error("Ses", from("throttled"), 1, 400, "Throttling",
          "Maximum sending rate exceeded.");
      AwsFaults unavailable = AwsFaults.error("Ses", from("flaky"), 1, 503, "ServiceUnavailable",
          "Service Unavailable");
      List<AwsFaults> faults = List.of(throttled, unavailable,
          AwsFaults.divert("Ses", from("timeout"), 1, hang.uri()),
          AwsFaults.divert("Ses", from("dribble"), 1, dribble.uri()),
          AwsFaults.divert("Ses", from("redirect"), Integer.MAX_VALUE, redirect.uri()));
      for (String name : List.of("success", "rejected", "throttled", "flaky", "timeout", "dribble", "redirect")) {
        // "rejected" sends from an address moto never verified: moto answers MessageRejected
        emailSink(kube, name, name.equals("rejected") ? "unverified@example.com" : name + "@example.com");
      }
      try (DeliveryHistory history = new DeliveryHistory(kube, NS);
          OperatorUnderTest operator = OperatorUnderTest.start(kube, moto, config, List.copyOf(faults), List.of(),
              null)) {
        HoneyTokenAlert alert = alert(kube);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          assertThat(state(kube, alert, "success")).isEqualTo("Delivered");
          assertThat(state(kube, alert, "rejected")).isEqualTo("Failed");
          assertThat(state(kube, alert, "throttled")).isEqualTo("Delivered");
          assertThat(state(kube, alert, "flaky")).isEqualTo("Delivered");
          assertThat(state(kube, alert, "timeout")).isEqualTo("Delivered");
          assertThat(state(kube, alert, "dribble")).isEqualTo("Delivered");
          assertThat(state(kube, alert, "redirect")).isEqualTo("Failed");
        });
        // moto sent exactly the five that were delivered: no faulted attempt reached it, none went twice
        assertThat(ses.getSendQuota().sentLast24Hours()).isEqualTo(5.0);

        // each attempt is on the alert before it leaves (Sending), its outcome right after
        assertThat(history.of("success")).extracting(DeliveryHistory.Step::state).containsExactly("Sending", "Delivered");

        // a final answer: one attempt, no retry
        assertThat(history.of("rejected")).extracting(DeliveryHistory.Step::state).containsExactly("Sending", "Failed");
        assertThat(delivery(kube, alert, "rejected").getLastError()).startsWith("SES SendEmail failed: MessageRejected");
        assertThat(kube.client().v1().events().inNamespace(NS).list().getItems())
            .anyMatch(e -> "DeliveryFailed".equals(e.getReason()) && e.getMessage().contains("AlertSink rejected"));

        assertThat(throttled.injected()).isEqualTo(1);
        assertThat(firstRetry(history, "throttled").lastError())
            .isEqualTo("SES SendEmail failed: Throttling (Maximum sending rate exceeded.)");
        assertThat(unavailable.injected()).isEqualTo(1);
        assertThat(firstRetry(history, "flaky").lastError())
            .isEqualTo("SES SendEmail failed: ServiceUnavailable (Service Unavailable)");

        assertThat(hang.requests()).hasSize(1);
        assertThat(firstRetry(history, "timeout").lastError()).contains("timed out");

        assertThat(dribble.requests()).hasSize(1);
        DeliveryHistory.Step cutOff = firstRetry(history, "dribble");
        assertThat(cutOff.lastError()).contains("did not complete before the specified timeout");
        Duration attempt = Duration.between(dribble.requests().get(0).at(), cutOff.seen());
        assertThat(attempt).isBetween(DEADLINE.minusMillis(500), DEADLINE.plusSeconds(2));

        // the SDK saw the 302 itself: had it followed the redirect, it would have seen the metadata
        // address's answer (or a connection error) instead, and retried
        assertThat(redirect.requests()).hasSize(1);
        assertThat(history.of("redirect")).extracting(DeliveryHistory.Step::state).containsExactly("Sending", "Failed");
        assertThat(operator.metrics().count("spacecrab_alert_deliveries_total", "type", "email", "outcome", "failed"))
            .as("the two give-ups (rejected, redirect) are counted").isEqualTo(2);
        assertThat(delivery(kube, alert, "redirect").getLastError()).isEqualTo("SES SendEmail failed: HTTP 302");

        // every error shown is one short sentence: no endpoint, signature or request in it
        List<String> errors = new ArrayList<>();
        for (String sink : List.of("rejected", "throttled", "flaky", "timeout", "dribble", "redirect")) {
          history.of(sink).stream().map(DeliveryHistory.Step::lastError).filter(e -> e != null).forEach(errors::add);
        }
        assertThat(errors).hasSizeGreaterThanOrEqualTo(6).allSatisfy(e -> assertThat(e).hasSizeLessThan(200)
            .doesNotContain("http://", "127.0.0.1", "Authorization", "AWS4-HMAC-SHA256", "X-Amz", "Action=",
                "Message.Body", moto.adminCredentials().resolveCredentials().accessKeyId()));
      }
    } finally {
      receivers.forEach(Receiver::close);
    }
  }

  /** SendEmail calls from {@code name}@example.com. */
  static BiPredicate<String, SdkRequest> from(String name) {
    return (operation, request) -> request instanceof SendEmailRequest send
        && send.source().equals(name + "@example.com");
  }

  static Receiver add(List<Receiver> all, Receiver r) {
    all.add(r);
    return r;
  }

  static void emailSink(KubeApi kube, String name, String from) {
    AlertSinks.create(kube.client(), NS, name, name, SinkType.email, Map.of("from", from), spec -> {
      // an email sink sends through SES, not HTTP: no HTTP leave
      spec.setAllowHttp(null);
      spec.setAllowDestinations(new java.util.ArrayList<>());
      spec.setTo(List.of("soc@example.com"));
    });
  }
}
