package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.spacecrab.api.v1alpha1.Delivery;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.SinkType;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import io.spacecrab.detect.AlertWriter;
import io.spacecrab.detect.CloudTrailRecord;
import io.spacecrab.detect.TokenMatch;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.testing.AlertSinks;
import io.spacecrab.testing.RealServerFixture;
import io.spacecrab.testing.Receiver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Alert delivery against a real API server, which refuses a status write computed from an alert
 * that changed meanwhile (409; the mock server accepts it): the detector writing to an alert while
 * its notification is being sent must not make the operator send it again.
 */
class RealServerDeliveryIT {
  static final String SIGNING = AlertSinks.SIGNING_SECRET;

  RealServerFixture world;
  Receiver receiver;

  @AfterEach
  void tearDown() {
    AlertSinks.closeAll(receiver, world);
  }

  @Test
  void aDetectorWriteDuringASendYieldsExactlyOneNotification() {
    List<Integer> alertStatusWrites = Collections.synchronizedList(new ArrayList<>());
    Interceptor statusCodes = new Interceptor() {
      @Override
      public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        String path = request.uri().getPath();
        if (!"GET".equals(request.method()) && path.contains("/honeytokenalerts/") && path.endsWith("/status")) {
          alertStatusWrites.add(response.code());
        }
      }
    };
    world = RealServerFixture.start(List.of(statusCodes), "--delivery-backoff=PT0.2S", "--delivery-backoff-cap=PT1S",
        "--delivery-read-timeout=PT60S", "--delivery-deadline=PT60S");
    String alerts = world.system;
    receiver = Receiver.answering(200);
    CountDownLatch release = receiver.holdNext();
    sink(alerts, "hooks", receiver.url("/hook"));

    AlertWriter detector = new AlertWriter(world.client(), alerts, Duration.ofHours(1),
        new EventRecorder(world.client(), "spacecrab-detector", java.util.Set.of(alerts), EventRecorder.pod(alerts)),
        Clock.systemUTC());
    RegistryRecord token = new RegistryRecord("AKIAGHOST00000000001", "AIDAGHOST00000000001", "svc-ghost",
        "arn:aws:iam::123456789012:user/svc-ghost", "test-cluster", alerts, "ghost", UUID.randomUUID().toString(), "oncall", "here",
        "notes", null, RegistryState.Active, null, null);
    detector.record(token, List.of(use(token, "evt-0", 0)));
    await().atMost(RealServerFixture.WAIT).until(() -> receiver.requests().size() == 1);
    // the notification is in flight: what does the server hold about it?
    Delivery inFlight = delivery(alerts, "hooks");
    // the detector records a second use while the operator waits for the receiver's answer
    detector.record(token, List.of(use(token, "evt-1", 1)));
    release.countDown();

    await().atMost(RealServerFixture.WAIT).until(() -> "Delivered".equals(delivery(alerts, "hooks").getState()));
    System.out.println("[delivery race] the operator's alert status writes answered " + alertStatusWrites);
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(receiver.requests()).as("notifications at the receiver").hasSize(1));
    assertThat(alertStatusWrites).as("the write after the send met the detector's change (409) and was redone")
        .contains(409);

    assertThat(inFlight.getState()).as("the attempt is on the alert before the send").isEqualTo("Sending");
    assertThat(inFlight.getNotificationId()).isEqualTo(receiver.requests().get(0).header("webhook-id"));
    HoneyTokenAlert alert = onlyAlert(alerts);
    assertThat(alert.getSpec().getEventCount()).as("the detector's write survives").isEqualTo(2);
    Delivery delivered = delivery(alerts, "hooks");
    assertThat(delivered.getNotifications()).isEqualTo(1);
    assertThat(delivered.getDeliveredEventCount()).isEqualTo(1);
    assertThat(delivered.getNotificationId()).isEqualTo(inFlight.getNotificationId());
    assertThat(io.spacecrab.api.Conditions.find(alert.getStatus().getConditions(), "Delivered"))
        .as("the Delivered condition, after the reconciles the detector's write started")
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("Delivered"));
  }

  private void sink(String namespace, String name, String url) {
    AlertSinks.webhook(world.client(), namespace, name, url, SIGNING);
  }

  private HoneyTokenAlert onlyAlert(String namespace) {
    List<HoneyTokenAlert> items = world.client().resources(HoneyTokenAlert.class).inNamespace(namespace).list()
        .getItems();
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  private Delivery delivery(String namespace, String sink) {
    List<HoneyTokenAlert> items = world.client().resources(HoneyTokenAlert.class).inNamespace(namespace).list()
        .getItems();
    if (items.isEmpty() || items.get(0).getStatus() == null) {
      return new Delivery();
    }
    return items.get(0).getStatus().getDeliveries().stream().filter(d -> sink.equals(d.getSink())).findFirst()
        .orElse(new Delivery());
  }

  private static TokenMatch use(RegistryRecord token, String eventId, int second) {
    return new TokenMatch(token, new CloudTrailRecord(eventId, Instant.parse("2026-11-30T21:00:00Z").plusSeconds(second)
        .toString(), "s3.amazonaws.com", "ListBuckets", "us-east-1", "198.51.100.7", "aws-cli/2", null, "IAMUser",
        token.principalId(), token.userArn(), "123456789012", token.accessKeyId(), token.userName(), null),
        TokenMatch.MatchedBy.ACCESS_KEY_ID);
  }
}
