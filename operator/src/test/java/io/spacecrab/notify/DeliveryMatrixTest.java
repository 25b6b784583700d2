package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.spacecrab.api.v1alpha1.Delivery;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.api.v1alpha1.SinkType;
import io.spacecrab.api.v1alpha1.TokenRef;
import io.spacecrab.testing.AlertSinks;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.LogCapture;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.Receiver;
import io.spacecrab.testing.Receiver.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.spacecrab.testing.OwnJvm;

/**
 * Every HTTP sink type, delivered by the real operator to real local servers answering: success,
 * 400, 429 with Retry-After, 5xx then success, a first answer slower than the read timeout then
 * success, a first 503 whose body dribbles past the deadline then success, and a redirect to the
 * metadata address. The operator runs with short limits (read timeout 1 s, deadline 2 s) so that
 * the slow cases cost seconds. Email (SES on moto) has the same matrix in EmailDeliveryMatrixTest.
 */
@OwnJvm
class DeliveryMatrixTest {
  static final String NS = OperatorUnderTest.NAMESPACE;
  static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
  static final Duration DEADLINE = Duration.ofSeconds(2);
  /** Limits short enough for a test, and a fast retry. */
  static final String[] FLAGS = {"--delivery-backoff=PT0.2S", "--delivery-backoff-cap=PT1S",
      "--delivery-connect-timeout=PT1S", "--delivery-read-timeout=PT1S", "--delivery-deadline=PT2S"};

  @ParameterizedTest
  @EnumSource(value = SinkType.class, names = {"pagerduty", "slack", "webhook"})
  void eachAnswerLeadsToTheRightDeliveryState(SinkType type) {
    MotoServer moto = MotoServer.shared();
    moto.reset();
    int ok = type == SinkType.pagerduty ? 202 : 200;
    List<Receiver> receivers = new ArrayList<>();
    try (KubeApi kube = KubeApi.start()) {
      kube.createNamespace(NS);
      var config = OperatorUnderTest.config(moto, FLAGS);
      OperatorUnderTest.createRegistry(moto, config);
      Receiver success = add(receivers, Receiver.answering(ok));
      Receiver bad = add(receivers, Receiver.answering(400));
      Receiver limited = add(receivers, Receiver.answering(ok).then(new Answer(429, Map.of("Retry-After", "1"), "")));
      Receiver flaky = add(receivers, Receiver.answering(ok).then(Answer.of(500), Answer.of(503)));
      Receiver redirect = add(receivers, Receiver.answering(302)
          .then(new Answer(302, Map.of("Location", "http://169.254.169.254/latest/meta-data/"), "")));
      // the answer comes after the client gave up (the read timeout), then the retry gets an instant one
      Receiver timeout = add(receivers, Receiver.answering(ok).then(Answer.after(Duration.ofSeconds(4), ok)));
      // headers at once, then a body that would take 8 s: the deadline cuts it off
      Receiver dribble = add(receivers, Receiver.answering(ok)
          .then(Answer.dribbling(503, "Service Unavailable", Duration.ofSeconds(8))));
      sink(kube, "success", type, success);
      sink(kube, "bad", type, bad);
      sink(kube, "limited", type, limited);
      sink(kube, "flaky", type, flaky);
      sink(kube, "redirect", type, redirect);
      sink(kube, "timeout", type, timeout);
      sink(kube, "dribble", type, dribble);
      try (LogCapture logs = new LogCapture(); DeliveryHistory history = new DeliveryHistory(kube, NS);
          OperatorUnderTest operator = OperatorUnderTest.start(kube, moto, config)) {
        HoneyTokenAlert alert = alert(kube);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          assertThat(state(kube, alert, "success")).isEqualTo("Delivered");
          assertThat(state(kube, alert, "bad")).isEqualTo("Failed");
          assertThat(state(kube, alert, "limited")).isEqualTo("Delivered");
          assertThat(state(kube, alert, "flaky")).isEqualTo("Delivered");
          assertThat(state(kube, alert, "redirect")).isEqualTo("Failed");
          assertThat(state(kube, alert, "timeout")).isEqualTo("Delivered");
          assertThat(state(kube, alert, "dribble")).isEqualTo("Delivered");
        });
        assertThat(success.requests()).hasSize(1);
        assertThat(bad.requests()).hasSize(1);
        assertThat(limited.requests()).hasSize(2);
        assertThat(Duration.between(limited.requests().get(0).at(), limited.requests().get(1).at()))
            .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(flaky.requests()).hasSize(3);
        assertThat(redirect.requests()).hasSize(1);
        assertThat(operator.metrics().count("spacecrab_alert_deliveries_total", "type", type.name(), "outcome", "failed"))
            .as("the two give-ups (400, redirect) are counted").isEqualTo(2);
        assertThat(delivery(kube, alert, "bad").getLastHttpStatus()).isEqualTo(400);
        assertThat(delivery(kube, alert, "redirect").getLastError()).containsIgnoringCase("redirect");

        assertThat(timeout.requests()).hasSize(2);
        DeliveryHistory.Step timedOut = firstRetry(history, "timeout");
        assertThat(timedOut.httpStatus()).isZero();
        // the read timeout (1 s) fires first; the deadline (2 s) only if the machine stalls
        assertThat(timedOut.lastError()).matches("no response (headers )?from http://127\\.0\\.0\\.1 within [12] s");

        assertThat(dribble.requests()).hasSize(2);
        DeliveryHistory.Step cutOff = firstRetry(history, "dribble");
        assertThat(cutOff.httpStatus()).isEqualTo(503);
        assertThat(cutOff.lastError()).isEqualTo("HTTP 503: Service Unavailable (response body cut off at the deadline)");
        // the attempt ended at the deadline, not when the 8 s body would have: the receiver logged the request
        // just after the attempt started, the watch saw the Retrying status just after it ended
        Duration attempt = Duration.between(dribble.requests().get(0).at(), cutOff.seen());
        assertThat(attempt).isBetween(DEADLINE.minusMillis(500), DEADLINE.plusSeconds(2));
        // and the retry is scheduled from its end: the backoff was not spent waiting for the body
        assertThat(Instant.parse(cutOff.nextAttemptTime()))
            .isAfterOrEqualTo(dribble.requests().get(0).at().plus(DEADLINE).minusMillis(300));
        // no credential in any log line, Event or status: routing key, Slack URL path, signing secret
        List<String> leaks = List.of("R0UTINGKEY0123456789abcdefabcdef", "/services/T0/B0/X0",
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes()));
        String status = io.fabric8.kubernetes.client.utils.Serialization.asJson(kube.client().resource(alert).get());
        List<String> events = kube.client().v1().events().inNamespace(NS).list().getItems().stream()
            .map(e -> e.getMessage()).toList();
        assertThat(logs.lines()).hasSizeGreaterThan(20);
        for (String secret : leaks) {
          assertThat(logs.lines()).noneMatch(l -> l.contains(secret));
          assertThat(events).noneMatch(l -> l.contains(secret));
          assertThat(status).doesNotContain(secret);
        }
      }
    } finally {
      receivers.forEach(Receiver::close);
    }
  }

  /** The state written after the first failed attempt of this sink. */
  static DeliveryHistory.Step firstRetry(DeliveryHistory history, String sink) {
    List<DeliveryHistory.Step> steps = history.of(sink);
    assertThat(steps).extracting(DeliveryHistory.Step::state).containsSubsequence("Retrying", "Delivered");
    return steps.stream().filter(s -> "Retrying".equals(s.state())).findFirst().orElseThrow();
  }

  static Receiver add(List<Receiver> all, Receiver r) {
    all.add(r);
    return r;
  }

  static void sink(KubeApi kube, String name, SinkType type, Receiver receiver) {
    Map<String, String> values = switch (type) {
      case pagerduty -> Map.of("routingKey", "R0UTINGKEY0123456789abcdefabcdef");
      case slack -> Map.of("webhookUrl", receiver.url("/services/T0/B0/X0"));
      default -> Map.of("url", receiver.url("/hook"), "signingSecret", AlertSinks.SIGNING_SECRET);
    };
    AlertSinks.create(kube.client(), NS, name, name, type, values, spec -> {
      if (type == SinkType.pagerduty) {
        spec.setEndpoint(receiver.url("/v2/enqueue"));
      }
    });
  }

  static HoneyTokenAlert alert(KubeApi kube) {
    HoneyTokenAlert alert = new HoneyTokenAlert();
    alert.setMetadata(new ObjectMetaBuilder().withName("incident").withNamespace(NS).build());
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    spec.setToken(new TokenRef("payments", "deploy", "uid-1"));
    spec.setOwner("oncall");
    spec.setTokenState("Active");
    spec.setIncident(1);
    spec.setEventCount(1L);
    spec.setFirstSeen("2026-11-30T21:00:00Z");
    spec.setLastSeen("2026-11-30T21:00:00Z");
    alert.setSpec(spec);
    return kube.client().resource(alert).create();
  }

  static Delivery delivery(KubeApi kube, HoneyTokenAlert alert, String sink) {
    HoneyTokenAlert current = kube.client().resource(alert).get();
    return current.getStatus() == null ? new Delivery() : current.getStatus().getDeliveries().stream()
        .filter(d -> sink.equals(d.getSink())).findFirst().orElse(new Delivery());
  }

  static String state(KubeApi kube, HoneyTokenAlert alert, String sink) {
    return delivery(kube, alert, sink).getState();
  }
}
