package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.detect.AlertWriter;
import io.spacecrab.detect.CloudTrailRecord;
import io.spacecrab.detect.TokenMatch;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import io.spacecrab.testing.AwsFaults;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorUnderTest;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.iam.model.CreateUserRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import io.spacecrab.testing.OwnJvm;
import io.spacecrab.testing.SpaceCrabEnvironment;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole life of a HoneyToken against moto (IAM enforced) and the mock Kubernetes API. */
@OwnJvm
class HoneyTokenLifecycleTest {
  static final String NS = "payments";

  @RegisterExtension
  final SpaceCrabEnvironment env = SpaceCrabEnvironment.onMockServer().namespaces(NS).operator().build();

  @Test
  void issuesUserKeySecretAndRegistryRecordFromTheExample() throws IOException {
    HoneyToken token = applyExample();
    HoneyToken ready = awaitReady(token);

    String userName = ready.getStatus().getUserName();
    String keyId = ready.getStatus().getAccessKeyId();
    assertThat(userName).doesNotContainIgnoringCase("honey").doesNotContainIgnoringCase("canary")
        .doesNotContainIgnoringCase("token").doesNotContainIgnoringCase("spacecrab")
        .matches("[A-Za-z0-9+=,.@_-]{1,64}").isNotEqualTo("admin");
    var user = env.adminIam().getUser(r -> r.userName(userName)).user();
    assertThat(user.path()).isEqualTo("/");
    // one neutral ownership tag; which token a user serves is kept in the registry, not in IAM
    assertThat(user.tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly("team=test-cluster");
    assertThat(PolicyDocuments.sameDenyAll(java.net.URLDecoder.decode(env.adminIam().getUserPolicy(
        r -> r.userName(userName).policyName(env.config().denyPolicyName())).policyDocument(), StandardCharsets.UTF_8)))
        .isTrue();
    var keys = env.adminIam().listAccessKeys(r -> r.userName(userName)).accessKeyMetadata();
    assertThat(keys).hasSize(1);
    assertThat(keys.get(0).accessKeyId()).isEqualTo(keyId);

    Secret secret = env.client().secrets().inNamespace(NS).withName("aws-deploy-credentials").get();
    Map<String, String> data = decode(secret);
    assertThat(data.get("AWS_ACCESS_KEY_ID")).isEqualTo(keyId);
    assertThat(data.get("AWS_REGION")).isEqualTo("eu-west-1");
    assertThat(data.get("credentials")).startsWith("[default]\naws_access_key_id = " + keyId + "\n")
        .contains("aws_secret_access_key = " + data.get("AWS_SECRET_ACCESS_KEY") + "\n");
    // nothing on the Secret points at the token: the token knows it by the uid in its status
    assertThat(secret.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(secret.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(ready.getStatus().getSecretUid()).isEqualTo(secret.getMetadata().getUid());
    assertThat(ready.getStatus().getSecretNamespace()).isEqualTo(NS);
    assertThat(secret.getMetadata().getLabels()).containsExactly(Map.entry("app.kubernetes.io/component", "credentials"));
    // Events go to the operator's namespace, and none pairs the key id with the Secret
    assertThat(env.client().v1().events().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(env.client().v1().events().inNamespace(OperatorUnderTest.NAMESPACE).list().getItems())
        .extracting(Event::getMessage).isNotEmpty()
        .noneMatch(m -> m.contains(keyId) && m.contains("aws-deploy-credentials"));
    assertThat(String.valueOf(secret.getMetadata().getAnnotations())).doesNotContainIgnoringCase("honey");

    RegistryRecord record = env.registry().get(keyId).orElseThrow();
    assertThat(record.principalId()).isEqualTo(user.userId());
    assertThat(record.userArn()).isEqualTo(user.arn());
    assertThat(record.state()).isEqualTo(RegistryState.Active);
    assertThat(record.owner()).isEqualTo("payments-oncall");
    assertThat(record.namespace()).isEqualTo(NS);
    assertThat(record.uid()).isEqualTo(ready.getMetadata().getUid());
    assertThat(record.sealedSecret()).isNotBlank().doesNotContain(data.get("AWS_SECRET_ACCESS_KEY"));
    assertThat(env.registry().findByPrincipalId(user.userId())).extracting(RegistryRecord::accessKeyId).containsExactly(keyId);

    assertThat(ready.getStatus().getSecretName()).isEqualTo("aws-deploy-credentials");
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
    assertThat(eventReasons()).as("one Event for a new token").containsExactly("KeyIssued");
  }

  @Test
  void issuedKeyMayOnlyAskWhoItIs() throws IOException {
    HoneyToken ready = awaitReady(applyExample());
    Map<String, String> data = decode(env.client().secrets().inNamespace(NS).withName("aws-deploy-credentials").get());
    var stolen = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(data.get("AWS_ACCESS_KEY_ID"), data.get("AWS_SECRET_ACCESS_KEY")));
    Region region = Region.of(MotoServer.REGION);

    try (StsClient sts = StsClient.builder().endpointOverride(env.moto().endpoint()).region(region)
        .credentialsProvider(stolen).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      assertThat(sts.getCallerIdentity().arn()).endsWith(":user/" + ready.getStatus().getUserName());
    }
    try (IamClient iam = env.moto().iam(stolen)) {
      assertThatThrownBy(iam::listUsers).isInstanceOf(SdkServiceException.class)
          .satisfies(e -> assertThat(((SdkServiceException) e).statusCode()).isEqualTo(403));
    }
    try (S3Client s3 = S3Client.builder().endpointOverride(env.moto().endpoint()).region(region).forcePathStyle(true)
        .credentialsProvider(stolen).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      assertThatThrownBy(s3::listBuckets).isInstanceOf(SdkServiceException.class)
          .satisfies(e -> assertThat(((SdkServiceException) e).statusCode()).isEqualTo(403));
    }
    try (SqsClient sqs = SqsClient.builder().endpointOverride(env.moto().endpoint()).region(region)
        .credentialsProvider(stolen).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      assertThatThrownBy(sqs::listQueues).isInstanceOf(SdkServiceException.class)
          .satisfies(e -> assertThat(((SdkServiceException) e).statusCode()).isEqualTo(403));
    }
    try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(env.moto().endpoint()).region(region)
        .credentialsProvider(stolen).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      assertThatThrownBy(dynamo::listTables).isInstanceOf(SdkServiceException.class)
          .satisfies(e -> assertThat(((SdkServiceException) e).statusCode()).isEqualTo(403));
    }
  }

  @Test
  void deleteRemovesUserKeyAndSecretAndLeavesTombstone() throws IOException {
    HoneyToken ready = awaitReady(applyExample());
    String keyId = ready.getStatus().getAccessKeyId();
    env.client().resource(ready).delete();

    await().atMost(Duration.ofSeconds(30)).until(() -> env.client().resource(ready).get() == null);
    assertThat(env.adminIam().listUsers().users()).extracting(u -> u.userName()).containsExactly("admin");
    assertThat(env.client().secrets().inNamespace(NS).withName("aws-deploy-credentials").get()).isNull();
    RegistryRecord tombstone = env.registry().get(keyId).orElseThrow();
    assertThat(tombstone.state()).isEqualTo(RegistryState.Retired);
    assertThat(tombstone.sealedSecret()).isNull();
    assertThat(tombstone.expireAt()).isAfter(java.time.Instant.now().plus(Duration.ofDays(300)));
  }

  @Test
  void deleteRemovesEverythingAttachedToTheUserOutOfBandAndReleasesTheFinalizer() throws IOException {
    // no re-check before the deletion: the teardown alone has to cope with all of it
    restartWith("--recheck-interval=PT1H");
    HoneyToken ready = awaitReady(applyExample());
    String userName = ready.getStatus().getUserName();
    String keyId = ready.getStatus().getAccessKeyId();
    String policyArn = env.adminIam().createPolicy(r -> r.policyName("ops-read").policyDocument(READ_ONLY)).policy().arn();
    env.adminIam().attachUserPolicy(r -> r.userName(userName).policyArn(policyArn));
    env.adminIam().createGroup(r -> r.groupName("ops"));
    env.adminIam().addUserToGroup(r -> r.groupName("ops").userName(userName));
    env.adminIam().createLoginProfile(r -> r.userName(userName).password("Correct-Horse-Battery-9"));
    String mfa = env.adminIam().createVirtualMFADevice(r -> r.virtualMFADeviceName(userName)).virtualMFADevice()
        .serialNumber();
    env.adminIam().enableMFADevice(r -> r.userName(userName).serialNumber(mfa).authenticationCode1("123456")
        .authenticationCode2("654321"));
    env.adminIam().uploadSSHPublicKey(r -> r.userName(userName).sshPublicKeyBody(SSH_KEY));
    env.adminIam().uploadSigningCertificate(r -> r.userName(userName).certificateBody(CERTIFICATE));
    env.adminIam().createServiceSpecificCredential(r -> r.userName(userName).serviceName("codecommit.amazonaws.com"));
    env.adminIam().putUserPolicy(r -> r.userName(userName).policyName("ops-inline").policyDocument(READ_ONLY));

    env.client().resource(ready).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> env.client().resource(ready).get() == null);
    assertThat(env.adminIam().listUsers().users()).extracting(u -> u.userName()).containsExactly("admin");
    assertThat(env.adminIam().getGroup(r -> r.groupName("ops")).users()).isEmpty();
    assertThat(env.adminIam().getPolicy(r -> r.policyArn(policyArn)).policy().attachmentCount()).isZero();
    assertThat(env.adminIam().listVirtualMFADevices().virtualMFADevices()).isEmpty();
    assertThat(env.registry().get(keyId).orElseThrow().state()).isEqualTo(RegistryState.Retired);
    assertThat(env.client().secrets().inNamespace(NS).withName("aws-deploy-credentials").get()).isNull();
    assertThat(eventReasons()).doesNotContain("CleanupBlocked");
  }

  @Test
  void aTeardownStepIamRefusesIsReportedOnceAndFinishesWhenAllowed() throws IOException {
    // as the stack answers RemoveUserFromGroup without AllowRemoveFromGroups=true
    AwsFaults denied = AwsFaults.always("RemoveUserFromGroup"::equals, 403, "AccessDenied");
    restartWith(List.of(denied), "--recheck-interval=PT1H");
    HoneyToken ready = awaitReady(applyExample());
    String userName = ready.getStatus().getUserName();
    String secret = decode(env.client().secrets().inNamespace(NS).withName("aws-deploy-credentials").get())
        .get("AWS_SECRET_ACCESS_KEY");
    env.adminIam().createGroup(r -> r.groupName("ops"));
    env.adminIam().addUserToGroup(r -> r.groupName("ops").userName(userName));

    env.client().resource(ready).delete();
    HoneyToken blocked = awaitReadyReason(ready, "CleanupBlocked");
    var condition = Conditions.find(blocked.getStatus().getConditions(), Conditions.READY).orElseThrow();
    assertThat(condition.getStatus()).isEqualTo("False");
    assertThat(condition.getMessage()).contains(userName).contains("group ops").contains("RemoveUserFromGroup")
        .contains("AccessDenied").doesNotContain(secret);
    // retried with backoff: the finalizer stays, the status and the one Event do not change
    await().atMost(Duration.ofSeconds(30)).until(() -> denied.injected() >= 3);
    assertThat(env.client().resource(ready).get().getMetadata().getFinalizers()).isNotEmpty();
    assertThat(eventReasons()).filteredOn("CleanupBlocked"::equals).hasSize(1);
    // the user stays unable to act: keys gone, records retired, the deny-all policy kept until the user goes
    assertThat(env.adminIam().listAccessKeys(r -> r.userName(userName)).accessKeyMetadata()).isEmpty();
    assertThat(env.adminIam().listUserPolicies(r -> r.userName(userName)).policyNames())
        .containsExactly(env.config().denyPolicyName());
    assertThat(env.registry().get(ready.getStatus().getAccessKeyId()).orElseThrow().state()).isEqualTo(RegistryState.Retired);

    denied.lift();
    await().atMost(Duration.ofSeconds(60)).until(() -> env.client().resource(ready).get() == null);
    assertThat(env.adminIam().listUsers().users()).extracting(u -> u.userName()).containsExactly("admin");
    assertThat(env.adminIam().getGroup(r -> r.groupName("ops")).users()).isEmpty();
  }

  @Test
  void policiesAndGroupsAddedOutOfBandAreRemovedAndReportedWhileTheTokenStaysReady() throws IOException {
    HoneyToken ready = awaitReady(applyExample());
    String userName = ready.getStatus().getUserName();
    List<String> readiness = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (var watch = env.client().resource(ready).watch(new io.fabric8.kubernetes.client.Watcher<HoneyToken>() {
      @Override
      public void eventReceived(Action action, HoneyToken t) {
        if (t.getStatus() != null) {
          Conditions.find(t.getStatus().getConditions(), Conditions.READY)
              .ifPresent(c -> readiness.add(c.getStatus() + " " + c.getReason() + ": " + c.getMessage()));
        }
      }

      @Override
      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
      }
    })) {
      String policyArn = env.adminIam().createPolicy(r -> r.policyName("ops-admin").policyDocument(READ_ONLY)).policy()
          .arn();
      env.adminIam().attachUserPolicy(r -> r.userName(userName).policyArn(policyArn));
      env.adminIam().putUserPolicy(r -> r.userName(userName).policyName("ops-inline").policyDocument(READ_ONLY));
      env.adminIam().createGroup(r -> r.groupName("ops"));
      env.adminIam().addUserToGroup(r -> r.groupName("ops").userName(userName));

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(env.adminIam().listAttachedUserPolicies(r -> r.userName(userName)).attachedPolicies()).isEmpty();
        assertThat(env.adminIam().listUserPolicies(r -> r.userName(userName)).policyNames())
            .containsExactly(env.config().denyPolicyName());
        assertThat(env.adminIam().listGroupsForUser(r -> r.userName(userName)).groups()).isEmpty();
      });
      // reported on the Ready condition (still True) until the next re-check finds nothing
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        List<String> reported = readiness.stream().filter(r -> r.startsWith("True DriftRepaired:")).toList();
        assertThat(reported).anyMatch(r -> r.contains("inline policy ops-inline"))
            .anyMatch(r -> r.contains("managed policy " + policyArn)).anyMatch(r -> r.contains("group ops"));
      });
    }
    // one Warning per thing removed, one reason per cause
    assertThat(eventReasons()).filteredOn(r -> r.startsWith("Unexpected"))
        .containsExactlyInAnyOrder("UnexpectedPolicyRemoved", "UnexpectedPolicyDetached", "UnexpectedGroupLeft");
    // the token stayed a valid trap throughout: Ready never went False, the key was kept
    assertThat(readiness).noneMatch(r -> r.startsWith("False"));
    assertThat(env.adminIam().listAccessKeys(r -> r.userName(userName)).accessKeyMetadata())
        .extracting(k -> k.accessKeyId()).containsExactly(ready.getStatus().getAccessKeyId());
  }

  @Test
  void retainKeepsUserAndKeyAliveAsTripwire() throws IOException {
    HoneyToken token = loadExample();
    token.getSpec().setDeletionPolicy("Retain");
    HoneyToken ready = awaitReady(env.client().resource(token).create());
    String keyId = ready.getStatus().getAccessKeyId();
    env.client().resource(ready).delete();

    await().atMost(Duration.ofSeconds(30)).until(() -> env.client().resource(ready).get() == null);
    var keys = env.adminIam().listAccessKeys(r -> r.userName(ready.getStatus().getUserName())).accessKeyMetadata();
    assertThat(keys).singleElement().satisfies(k -> {
      assertThat(k.accessKeyId()).isEqualTo(keyId);
      assertThat(k.status()).isEqualTo(StatusType.ACTIVE);
    });
    assertThat(env.registry().get(keyId).orElseThrow().state()).isEqualTo(RegistryState.Retained);
  }

  @Test
  void restoresDeletedOrEditedSecretWithTheSameKey() throws IOException {
    HoneyToken ready = awaitReady(applyExample());
    var secrets = env.client().secrets().inNamespace(NS);
    Map<String, String> original = decode(secrets.withName("aws-deploy-credentials").get());

    secrets.withName("aws-deploy-credentials").delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Secret s = secrets.withName("aws-deploy-credentials").get();
      assertThat(s).isNotNull();
      assertThat(decode(s)).isEqualTo(original);
    });
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(eventReasons()).as("the deleted Secret is reported").contains("SecretRestored"));

    Secret edited = secrets.withName("aws-deploy-credentials").get();
    edited.getData().put("AWS_SECRET_ACCESS_KEY", Base64.getEncoder().encodeToString("tampered".getBytes()));
    secrets.resource(edited).update();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(decode(secrets.withName("aws-deploy-credentials").get())).isEqualTo(original));
    assertThat(env.adminIam().listAccessKeys(r -> r.userName(ready.getStatus().getUserName())).accessKeyMetadata())
        .hasSize(1);
  }

  @Test
  void replacesKeyDeletedOrDeactivatedOutOfBandAndTombstonesTheOldOne() throws IOException {
    HoneyToken ready = awaitReady(applyExample());
    String userName = ready.getStatus().getUserName();
    String first = ready.getStatus().getAccessKeyId();

    env.adminIam().deleteAccessKey(r -> r.userName(userName).accessKeyId(first));
    String second = awaitNewKey(ready, first);
    assertThat(env.registry().get(first).orElseThrow().state()).isEqualTo(RegistryState.Replaced);
    assertThat(decode(env.client().secrets().inNamespace(NS).withName("aws-deploy-credentials").get())
        .get("AWS_ACCESS_KEY_ID")).isEqualTo(second);

    env.adminIam().updateAccessKey(r -> r.userName(userName).accessKeyId(second).status(StatusType.INACTIVE));
    String third = awaitNewKey(ready, second);
    assertThat(env.adminIam().listAccessKeys(r -> r.userName(userName)).accessKeyMetadata())
        .extracting(k -> k.accessKeyId()).containsExactly(third);
    assertThat(env.registry().get(second).orElseThrow().state()).isEqualTo(RegistryState.Replaced);
    assertThat(env.registry().get(third).orElseThrow().state()).isEqualTo(RegistryState.Active);
    // one reason per cause: a key lost, a key deactivated, the Secret given the new key (not "restored")
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(eventReasons())
        .contains("KeyLost", "DeactivatedKeyReplaced", "SecretUpdated").doesNotContain("SecretRestored"));
  }

  @Test
  void aLostSealKeyStopsTheOperatorInsteadOfReplacingEveryKeyUnlessAllowed() throws IOException {
    HoneyToken ready = awaitReady(applyExample());
    String first = ready.getStatus().getAccessKeyId();
    env.stopOperator();
    env.client().secrets().inNamespace(OperatorUnderTest.NAMESPACE).withName(env.config().sealKeySecret()).delete();

    assertThatThrownBy(() -> OperatorUnderTest.start(env.kube(), env.moto(), env.config()))
        .hasMessageContaining("seal key Secret").hasMessageContaining("1 registry records")
        .hasMessageContaining("--allow-new-seal-key");
    assertThat(env.adminIam().listAccessKeys(r -> r.userName(ready.getStatus().getUserName())).accessKeyMetadata())
        .extracting(k -> k.accessKeyId()).containsExactly(first);

    env.startOperator(env.config("--allow-new-seal-key=true"));
    String second = awaitNewKey(ready, first);
    assertThat(second).isNotEqualTo(first);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(eventReasons())
        .contains("SealKeyChanged", "SecretUpdated").doesNotContain("UnknownKeyDeleted"));
  }

  @Test
  void putsBackARemovedDenyPolicy() throws IOException {
    HoneyToken ready = awaitReady(applyExample());
    String userName = ready.getStatus().getUserName();
    env.adminIam().deleteUserPolicy(r -> r.userName(userName).policyName(env.config().denyPolicyName()));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(env.adminIam().listUserPolicies(r -> r.userName(userName)).policyNames())
            .containsExactly(env.config().denyPolicyName()));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(eventReasons()).contains("DenyPolicyRestored"));
  }

  @Test
  void deletesKeysTheOperatorDoesNotKnow() throws IOException {
    HoneyToken ready = awaitReady(applyExample());
    String userName = ready.getStatus().getUserName();
    String stray = env.adminIam().createAccessKey(r -> r.userName(userName)).accessKey().accessKeyId();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(env.adminIam().listAccessKeys(r -> r.userName(userName)).accessKeyMetadata())
            .extracting(k -> k.accessKeyId()).containsExactly(ready.getStatus().getAccessKeyId()));
    assertThat(stray).isNotEqualTo(ready.getStatus().getAccessKeyId());
  }

  @Test
  void neverTouchesAForeignUserWithTheSameName() throws IOException {
    env.adminIam().createUser(r -> r.userName("someone-else"));
    HoneyToken token = loadExample();
    token.getSpec().setUserName("someone-else");
    HoneyToken created = env.client().resource(token).create();

    HoneyToken failed = awaitReadyReason(created, "NameConflict");
    assertThat(Conditions.find(failed.getStatus().getConditions(), Conditions.READY).orElseThrow().getMessage())
        .contains("someone-else").contains("left untouched");
    assertThat(env.adminIam().listAccessKeys(r -> r.userName("someone-else")).accessKeyMetadata()).isEmpty();
    assertThat(env.adminIam().listUserPolicies(r -> r.userName("someone-else")).policyNames()).isEmpty();
    assertThat(eventReasons()).contains("NameConflict");

    env.client().resource(failed).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> env.client().resource(failed).get() == null);
    assertThat(env.adminIam().getUser(r -> r.userName("someone-else")).user()).isNotNull();
  }

  @Test
  void aGeneratedNameSomeoneElseHoldsIsPassedOverNotTakenNorReported() throws IOException {
    env.stopOperator(); // the token is created first, so that its generated names are known in advance
    HoneyToken created = env.client().resource(loadExample()).create();
    UserNames names = UserNames.of(env.config(), UserNames.loadOrLearn(env.client(), env.config(), null));
    String first = names.generated(created, 0);
    env.adminIam().createUser(r -> r.userName(first)); // an account user that happens to hold that name

    env.startOperator(env.config());
    HoneyToken ready = awaitReady(created);
    assertThat(ready.getStatus().getUserName()).isEqualTo(names.generated(created, 1)).isNotEqualTo(first);
    assertThat(env.adminIam().listAccessKeys(r -> r.userName(first)).accessKeyMetadata()).isEmpty();
    assertThat(env.adminIam().listUserTags(r -> r.userName(first)).tags()).isEmpty();

    // deleting the token removes its own user, never the account's
    env.client().resource(ready).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> env.client().resource(ready).get() == null);
    assertThat(env.adminIam().listUsers().users()).extracting(u -> u.userName()).contains(first)
        .doesNotContain(ready.getStatus().getUserName());
  }

  @Test
  void theUserNameIsFixedOnceIssuedEvenWhereTheSchemaIsNotEnforced() throws IOException {
    HoneyToken ready = awaitReady(env.client().resource(loadExample()).create());
    String issuedAs = ready.getStatus().getUserName();
    // the mock server applies no CEL rule: the operator checks it itself
    HoneyToken edited = env.client().resource(ready).edit(t -> {
      t.getSpec().setUserName("someone-new");
      return t;
    });
    HoneyToken refused = awaitReadyReason(edited, "InvalidSpec");
    assertThat(Conditions.find(refused.getStatus().getConditions(), Conditions.READY).orElseThrow().getMessage())
        .contains("spec.userName").contains(issuedAs);
    assertThat(env.adminIam().listUsers().users()).extracting(u -> u.userName()).doesNotContain("someone-new");

    env.client().resource(refused).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> env.client().resource(refused).get() == null);
    assertThat(env.adminIam().listUsers().users()).extracting(u -> u.userName()).doesNotContain(issuedAs);
  }

  @Test
  void aSecondTokenNamingAnIssuedUserIsRefusedAndLeavesItAlone() throws IOException {
    // both users would carry this cluster's ownership tag: the registry says which token a user serves
    HoneyToken first = loadExample();
    first.getSpec().setUserName("build-agent");
    HoneyToken ready = awaitReady(env.client().resource(first).create());
    HoneyToken second = io.spacecrab.testing.Tokens.token(NS, "second", "other-credentials");
    second.getSpec().setUserName("build-agent");

    HoneyToken failed = awaitReadyReason(env.client().resource(second).create(), "NameConflict");
    env.client().resource(failed).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> env.client().resource(failed).get() == null);

    assertThat(env.adminIam().listAccessKeys(r -> r.userName("build-agent")).accessKeyMetadata())
        .extracting(k -> k.accessKeyId()).containsExactly(ready.getStatus().getAccessKeyId());
    assertThat(env.client().secrets().inNamespace(NS).withName("other-credentials").get()).isNull();
  }

  @Test
  void anUnknownEnumValueOrAnEmptySecretNameIsInvalidNeverFatalAndTheTokenStaysDeletable() throws IOException {
    // the mock API server enforces no schema, as an API server with validation off would not
    HoneyToken garbage = io.spacecrab.testing.Tokens.token(NS, "garbage", "creds");
    garbage.getSpec().setDeletionPolicy("Garbage");
    garbage.getSpec().getSecret().setFormat("xml");
    HoneyToken empty = io.spacecrab.testing.Tokens.token(NS, "empty", "");
    HoneyToken failedGarbage = awaitReadyReason(env.client().resource(garbage).create(), "InvalidSpec");
    HoneyToken failedEmpty = awaitReadyReason(env.client().resource(empty).create(), "InvalidSpec");
    assertThat(Conditions.find(failedGarbage.getStatus().getConditions(), Conditions.READY).orElseThrow().getMessage())
        .contains("spec.deletionPolicy 'Garbage'").contains("spec.secret.format 'xml'");
    assertThat(Conditions.find(failedEmpty.getStatus().getConditions(), Conditions.READY).orElseThrow().getMessage())
        .contains("spec.secret.name is required");

    // the operator keeps running: a good token next to them still becomes Ready
    HoneyToken good = awaitReady(env.client().resource(loadExample()).create());
    assertThat(good.getStatus().getAccessKeyId()).isNotNull();
    for (HoneyToken t : List.of(failedGarbage, failedEmpty)) {
      env.client().resource(t).delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> env.client().resource(t).get() == null);
    }
  }

  @Test
  void aTenantNamespaceCannotHoldMoreTokenUsersThanItsCap() {
    env.startOperator(env.config("--max-tokens-per-namespace=2"));
    HoneyToken a = awaitReady(env.client().resource(io.spacecrab.testing.Tokens.token(NS, "a", "ca")).create());
    awaitReady(env.client().resource(io.spacecrab.testing.Tokens.token(NS, "b", "cb")).create());
    HoneyToken c = awaitReadyReason(env.client().resource(io.spacecrab.testing.Tokens.token(NS, "c", "cc")).create(),
        "NamespaceQuotaExceeded");
    assertThat(Conditions.find(c.getStatus().getConditions(), Conditions.READY).orElseThrow().getMessage())
        .contains("--max-tokens-per-namespace");
    assertThat(env.adminIam().listUsers().users()).hasSize(3); // admin and two

    env.client().resource(a).delete();
    awaitReady(c);
    assertThat(env.adminIam().listUsers().users()).hasSize(3);
  }

  @Test
  void invalidSpecIsReportedWithoutAnyAwsCall() throws IOException {
    HoneyToken token = loadExample();
    token.getSpec().getSecret().setName("Not A Valid Name");
    token.getSpec().setExpiresAt("next tuesday");
    HoneyToken failed = awaitReadyReason(env.client().resource(token).create(), "InvalidSpec");

    String message = Conditions.find(failed.getStatus().getConditions(), Conditions.READY).orElseThrow().getMessage();
    assertThat(message).contains("spec.secret.name").contains("spec.expiresAt");
    assertThat(env.adminIam().listUsers().users()).extracting(u -> u.userName()).containsExactly("admin");
    assertThat(eventReasons()).contains("InvalidSpec");
  }

  @Test
  void refusesToOverwriteASecretItDidNotWrite() throws IOException {
    env.client().secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName("aws-deploy-credentials").endMetadata()
        .addToData("password", Base64.getEncoder().encodeToString("hunter2".getBytes())).build()).create();
    HoneyToken failed = awaitReadyReason(env.client().resource(loadExample()).create(), "SecretConflict");
    assertThat(failed.getStatus().getAccessKeyId()).isNull();
    assertThat(env.adminIam().listUsers().users()).extracting(u -> u.userName()).containsExactly("admin");
    assertThat(env.client().secrets().inNamespace(NS).withName("aws-deploy-credentials").get().getData())
        .containsOnlyKeys("password");
  }

  @Test
  void expiredTokenDeletesItsKeyAndReportsExpired() throws IOException {
    HoneyToken token = loadExample();
    token.getSpec().setExpiresAt(java.time.Instant.now().plusSeconds(4).toString());
    HoneyToken ready = awaitReady(env.client().resource(token).create());
    String keyId = ready.getStatus().getAccessKeyId();

    awaitReadyReason(ready, "Expired");
    assertThat(env.adminIam().listUsers().users()).extracting(u -> u.userName()).containsExactly("admin");
    assertThat(env.client().secrets().inNamespace(NS).withName("aws-deploy-credentials").get()).isNull();
    assertThat(env.registry().get(keyId).orElseThrow().state()).isEqualTo(RegistryState.Retired);
  }

  @Test
  void createsUsersWithTheConfiguredPermissionsBoundary() {
    // moto accepts but does not report boundaries, so the request that reached it is what we check
    String boundary = env.adminIam().createPolicy(r -> r.policyName("deny-all-boundary").policyDocument(TokenIssuer.DENY_ALL))
        .policy().arn();
    List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutionInterceptor recorder = new ExecutionInterceptor() {
      @Override
      public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof CreateUserRequest r) {
          sent.add(r.userName() + " " + r.permissionsBoundary() + " " + r.path());
        }
      }
    };
    env.startOperator(env.config("--permissions-boundary-arn=" + boundary), List.of(recorder), List.of(), null,
        Clock.systemUTC());
    HoneyToken ready = awaitReady(env.client().resource(io.spacecrab.testing.Tokens.token(NS, "b", "b-creds"))
        .create());
    assertThat(sent).containsExactly(ready.getStatus().getUserName() + " " + boundary + " /");
  }

  // --- helpers

  static final String READ_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":\"s3:Get*\",\"Resource\":\"*\"}]}";
  static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL/jiT6MgEBVW0dvbRhlu3TdLdqRzJT3ANl8JSvBqcQT";
  /** A self-signed certificate (P-256, CN=deploy), as IAM takes a signing certificate. */
  static final String CERTIFICATE = """
      -----BEGIN CERTIFICATE-----
      MIIBeDCCAR+gAwIBAgIULRtBgTAK6n8OFBZxRlyCWaRVdq4wCgYIKoZIzj0EAwIw
      ETEPMA0GA1UEAwwGZGVwbG95MCAXDTI2MTIwMjA4MDkwMloYDzIxMjYxMTA4MDgw
      OTAyWjARMQ8wDQYDVQQDDAZkZXBsb3kwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
      AASR69GIBKTaeEvaihwbVBGoSYXc0FiHUyNGTYwdITtPMCnxcGshlpsTE4MN5y16
      gBvCQDRUL8kmXNGIjxZNZnp8o1MwUTAdBgNVHQ4EFgQUE3ivUjwCTIlpollwwSu9
      LdX39QcwHwYDVR0jBBgwFoAUE3ivUjwCTIlpollwwSu9LdX39QcwDwYDVR0TAQH/
      BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiAoQf4w7vhFwRj3ihCKNJ8cs12S7JOw
      HZCwy7VWF76EqwIgJJGvnUI+9iXzoZvq0hvpjmqo3kpsxUC7Xxjhuxt9Z5Q=
      -----END CERTIFICATE-----
      """;

  void restartWith(String... flags) {
    restartWith(List.of(), flags);
  }

  void restartWith(List<ExecutionInterceptor> interceptors, String... flags) {
    env.startOperator(env.config(flags), interceptors, List.of(), null, Clock.systemUTC());
  }

  HoneyToken loadExample() throws IOException {
    try (var in = new FileInputStream(examples().resolve("honeytoken.yaml").toFile())) {
      return env.client().resources(HoneyToken.class).load(in).item();
    }
  }

  // ---- the safety net beside CloudTrail: IAM's own record of a key's last use

  /**
   * A key used through moto (which records the last use of every key that signs a request, as IAM
   * does) with no CloudTrail-derived alert: once the grace period is over, a re-check raises one
   * UsedWithoutTrail alert naming the service and region IAM reports, and marks the token
   * Triggered. The same last-use time seen at later re-checks, and after a restart, raises no second
   * alert.
   */
  @Test
  void keyUsedWithoutACloudTrailRecordRaisesOneUsedWithoutTrailAlert() {
    List<String> lastUseReads = new java.util.concurrent.CopyOnWriteArrayList<>();
    restartWithTrailGrace(lastUseReads);
    HoneyToken ready = awaitReady(env.client().resource(io.spacecrab.testing.Tokens.token(NS, "db", "db-creds")).create());
    java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    assertThat(useKey("db-creds")).isEqualTo(ready.getStatus().getUserName());

    HoneyTokenAlert alert = awaitUsedWithoutTrail(ready);
    HoneyTokenAlertSpec spec = alert.getSpec();
    assertThat(spec.getReason()).isEqualTo("UsedWithoutTrail");
    assertThat(spec.getIamLastUse().getServiceName()).isEqualTo("sts");
    assertThat(spec.getIamLastUse().getRegion()).isEqualTo(MotoServer.REGION);
    assertThat(java.time.Instant.parse(spec.getIamLastUse().getLastUsedDate())).isAfterOrEqualTo(before);
    assertThat(spec.getLastSeen()).isEqualTo(spec.getIamLastUse().getLastUsedDate());
    assertThat(spec.getIncident()).as("not a CloudTrail incident").isNull();
    assertThat(spec.getToken().getUid()).isEqualTo(ready.getMetadata().getUid());
    assertThat(spec.getAccessKeyId()).isEqualTo(ready.getStatus().getAccessKeyId());
    assertThat(spec.getUserName()).isEqualTo(ready.getStatus().getUserName());
    assertThat(spec.getCluster()).isEqualTo("test-cluster");
    assertThat(spec.getOwner()).isEqualTo("team-" + NS);
    assertThat(spec.getRegions()).containsExactly(MotoServer.REGION);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HoneyToken token = env.client().resource(ready).get();
      assertThat(Conditions.find(token.getStatus().getConditions(), Conditions.TRIGGERED)).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("UsedWithoutTrail");
        assertThat(c.getMessage()).contains("sts in " + MotoServer.REGION).contains(alert.getMetadata().getName());
      });
      assertThat(token.getStatus().getLastTriggeredAt()).isEqualTo(spec.getIamLastUse().getLastUsedDate());
    });

    // the same last-use time at the next re-checks, then in a new process: still one alert
    int reads = lastUseReads.size();
    await().atMost(Duration.ofSeconds(20)).until(() -> lastUseReads.size() >= reads + 2);
    List<String> afterRestart = new java.util.concurrent.CopyOnWriteArrayList<>();
    assertThat(env.operator().metrics().count("spacecrab_iam_last_use_decisions_total", "outcome", "raised")).isEqualTo(1);
    restartWithTrailGrace(afterRestart);
    await().atMost(Duration.ofSeconds(20)).until(() -> afterRestart.size() >= 2);
    assertThat(usedWithoutTrail(ready)).hasSize(1);
    assertThat(env.operator().metrics().count("spacecrab_iam_last_use_decisions_total", "outcome", "raised"))
        .as("found written, not raised again").isZero();
  }

  /**
   * Two tokens, both used: the one whose use a CloudTrail-derived alert covers (written by the
   * detector's AlertWriter, as for a record the trail delivered) gets no UsedWithoutTrail alert; the
   * other one does.
   */
  @Test
  void keyUsedWithAMatchingCloudTrailAlertRaisesNoUsedWithoutTrailAlert() {
    List<String> lastUseReads = new java.util.concurrent.CopyOnWriteArrayList<>();
    restartWithTrailGrace(lastUseReads);
    HoneyToken logged = awaitReady(env.client().resource(io.spacecrab.testing.Tokens.token(NS, "logged", "logged-creds"))
        .create());
    HoneyToken unlogged = awaitReady(env.client().resource(
        io.spacecrab.testing.Tokens.token(NS, "unlogged", "unlogged-creds")).create());
    useKey("logged-creds");
    cloudTrailAlert(logged, java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    useKey("unlogged-creds");

    awaitUsedWithoutTrail(unlogged);
    int reads = lastUseReads.size();
    await().atMost(Duration.ofSeconds(20)).until(() -> lastUseReads.size() >= reads + 2);
    assertThat(usedWithoutTrail(logged)).isEmpty();
    assertThat(env.operator().metrics().count("spacecrab_iam_last_use_decisions_total", "outcome", "covered")).isEqualTo(1);
    assertThat(env.operator().metrics().count("spacecrab_iam_last_use_decisions_total", "outcome", "raised")).isEqualTo(1);
    assertThat(env.client().resources(HoneyTokenAlert.class).inNamespace(OperatorUnderTest.NAMESPACE)
        .withLabel("spacecrab.io/token-uid", logged.getMetadata().getUid()).list().getItems())
        .extracting(a -> a.getSpec().getReason()).containsExactly((String) null);
  }

  /** Replaces the operator with one whose grace period is 1 s; its GetAccessKeyLastUsed calls go to {@code reads}. */
  void restartWithTrailGrace(List<String> reads) {
    ExecutionInterceptor counter = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String name = attributes.getAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME);
        if ("GetAccessKeyLastUsed".equals(name)) {
          reads.add(name);
        }
      }
    };
    env.startOperator(env.config("--trail-grace=PT1S"), List.of(counter), List.of(), null, Clock.systemUTC());
  }

  /** Calls sts:GetCallerIdentity with the key in this Secret, as someone who found it would; returns the user name. */
  String useKey(String secretName) {
    Map<String, String> data = decode(env.client().secrets().inNamespace(NS).withName(secretName).get());
    var stolen = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(data.get("AWS_ACCESS_KEY_ID"), data.get("AWS_SECRET_ACCESS_KEY")));
    try (StsClient sts = StsClient.builder().endpointOverride(env.moto().endpoint()).region(Region.of(MotoServer.REGION))
        .credentialsProvider(stolen).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      String arn = sts.getCallerIdentity().arn();
      return arn.substring(arn.lastIndexOf('/') + 1);
    }
  }

  /** What the detector writes for a CloudTrail record of the token's key at {@code at}. */
  void cloudTrailAlert(HoneyToken token, java.time.Instant at) {
    HoneyToken current = env.client().resource(token).get();
    RegistryRecord entry = env.registry().get(current.getStatus().getAccessKeyId()).orElseThrow().withoutSecret();
    CloudTrailRecord record = new CloudTrailRecord("evt-" + entry.accessKeyId(), at.toString(), "sts.amazonaws.com",
        "GetCallerIdentity", MotoServer.REGION, "203.0.113.9", "aws-cli/2", null, "IAMUser", entry.principalId(),
        entry.userArn(), "123456789012", entry.accessKeyId(), entry.userName(), null);
    var client = env.client();
    new AlertWriter(client, OperatorUnderTest.NAMESPACE, Duration.ofHours(1), new EventRecorder(client,
        "spacecrab-detector", java.util.Set.of(OperatorUnderTest.NAMESPACE), EventRecorder.pod(OperatorUnderTest.NAMESPACE)),
        java.time.Clock.systemUTC()).record(entry, List.of(new TokenMatch(entry, record, TokenMatch.MatchedBy.ACCESS_KEY_ID)));
  }

  List<HoneyTokenAlert> usedWithoutTrail(HoneyToken token) {
    return env.client().resources(HoneyTokenAlert.class).inNamespace(OperatorUnderTest.NAMESPACE)
        .withLabel("spacecrab.io/token-uid", token.getMetadata().getUid()).list().getItems().stream()
        .filter(a -> "UsedWithoutTrail".equals(a.getSpec().getReason())).toList();
  }

  HoneyTokenAlert awaitUsedWithoutTrail(HoneyToken token) {
    await().atMost(Duration.ofSeconds(20)).until(() -> !usedWithoutTrail(token).isEmpty());
    return usedWithoutTrail(token).get(0);
  }

  HoneyToken applyExample() throws IOException {
    return env.client().resource(loadExample()).create();
  }

  static Path examples() {
    Path p = Path.of("examples");
    return p.toFile().isDirectory() ? p : Path.of("../examples");
  }

  HoneyToken awaitReady(HoneyToken token) {
    return awaitReadyReason(token, "Issued");
  }

  HoneyToken awaitReadyReason(HoneyToken token, String reason) {
    HoneyToken[] seen = new HoneyToken[1];
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HoneyToken current = env.client().resource(token).get();
      assertThat(current.getStatus()).isNotNull();
      assertThat(Conditions.find(current.getStatus().getConditions(), Conditions.READY))
          .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo(reason));
      seen[0] = current;
    });
    return seen[0];
  }

  String awaitNewKey(HoneyToken token, String old) {
    String[] key = new String[1];
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HoneyToken current = env.client().resource(token).get();
      assertThat(current.getStatus().getAccessKeyId()).isNotEqualTo(old);
      key[0] = current.getStatus().getAccessKeyId();
    });
    return key[0];
  }

  List<String> eventReasons() {
    // Events about tokens in a tenant namespace are written in the operator's namespace
    return env.client().v1().events().inNamespace(OperatorUnderTest.NAMESPACE).list().getItems().stream()
        .map(Event::getReason).toList();
  }

  static Map<String, String> decode(Secret secret) {
    Map<String, String> out = new java.util.TreeMap<>();
    secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return out;
  }
}
