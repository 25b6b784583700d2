package io.spacecrab.aws;

import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;

/** {@link CallerIdentity} through STS: a short-lived client per call, signed with the given key. */
final class StsCallerIdentity implements CallerIdentity {
  private final Function<StaticCredentialsProvider, StsClient> clients;

  StsCallerIdentity(Function<StaticCredentialsProvider, StsClient> clients) {
    this.clients = clients;
  }

  @Override
  public String call(String accessKeyId, String secretAccessKey) {
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    try (StsClient sts = clients.apply(credentials)) {
      return sts.getCallerIdentity().arn();
    } catch (SdkException e) {
      throw AwsErrors.classify("STS GetCallerIdentity", e);
    }
  }
}
