package io.spacecrab.aws;

import io.spacecrab.config.OperatorConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.backoff.BackoffStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Builds the SDK clients from configuration: region, optional endpoint override, the default
 * credential chain (IRSA in a cluster), small SDK retries (the reconciler retries with backoff
 * on top), timeouts, and optional interceptors (used by tests to inject faults).
 */
public final class AwsClients {
  private final Region region;
  private final URI endpoint;
  private final AwsCredentialsProvider credentials;
  private final List<ExecutionInterceptor> interceptors;

  public AwsClients(String region, URI endpoint, AwsCredentialsProvider credentials,
      List<ExecutionInterceptor> interceptors) {
    this.region = Region.of(region);
    this.endpoint = endpoint;
    this.credentials = credentials;
    this.interceptors = List.copyOf(interceptors);
  }

  public static AwsClients from(OperatorConfig config) {
    return new AwsClients(config.awsRegion(), config.awsEndpoint(), DefaultCredentialsProvider.builder().build(),
        List.of());
  }

  /**
   * IAM adapter drawing every attempt from this budget. Its SDK clients make one attempt each: the
   * adapter retries idempotent calls itself, so that retries are paced by the budget too.
   */
  public IamUsers iamUsers(IamCallBudget budget) {
    return new AwsIamUsers(iam(1), iam(1), budget);
  }

  /** IAM adapter with the budget the configuration describes (rate, burst, default adaptation). */
  public IamUsers iamUsers(OperatorConfig config) {
    return iamUsers(IamCallBudget.of(config));
  }

  public DynamoDbTokenRegistry registry(String table) {
    return new DynamoDbTokenRegistry(configure(DynamoDbClient.builder(), 3).build(), table);
  }

  public MessageQueue queue(String queueUrl) {
    return new SqsMessageQueue(configure(SqsClient.builder(), 3, Timeouts.socket(Duration.ofSeconds(30))).build(),
        queueUrl);
  }

  /** SES with the alert delivery limits the configuration describes. */
  public MailSender mail(OperatorConfig config) {
    return mail(config.deliveryConnectTimeout(), config.deliveryReadTimeout(), config.deliveryDeadline());
  }

  /**
   * SES bound by the same limits as the HTTP sinks, so that a hung or dribbling endpoint holds a
   * delivery thread no longer than {@code deadline}. One attempt per call: the delivery reconciler
   * retries with backoff and records every attempt on the alert, as for the other sink types (SDK
   * retries would hide attempts and multiply the time a call can take).
   */
  public MailSender mail(Duration connectTimeout, Duration readTimeout, Duration deadline) {
    return new SesMailSender(configure(SesClient.builder(), 1,
        new Timeouts(connectTimeout, readTimeout, deadline, deadline)).build());
  }

  /**
   * The account these credentials belong to ({@code sts:GetCallerIdentity}, which no policy can
   * deny): the stack puts the detector in the account whose users hold the tokens.
   */
  public String accountId() {
    try (StsClient sts = configure(StsClient.builder(), 3).build()) {
      return sts.getCallerIdentity().account();
    } catch (SdkException e) {
      throw AwsErrors.classify("STS GetCallerIdentity", e);
    }
  }

  /** Calls STS as a given key (the self-test), with this region, endpoint and interceptors. */
  public CallerIdentity callerIdentity() {
    return new StsCallerIdentity(key -> configure(StsClient.builder(), 3).credentialsProvider(key).build());
  }

  public LogObjects logObjects() {
    return new S3LogObjects(configure(S3Client.builder(), 3, Timeouts.socket(Duration.ofMinutes(5)))
        .forcePathStyle(endpoint != null).build());
  }

  private IamClient iam(int maxAttempts) {
    // IAM is a global service; its endpoint lives in us-east-1 (aws partition).
    var builder = IamClient.builder();
    configure(builder, maxAttempts);
    if (endpoint == null) {
      builder.region(Region.AWS_GLOBAL);
    }
    return builder.build();
  }

  /**
   * Time limits of one client.
   *
   * @param socket the longest silence on a connection: long polls and big objects need more
   * @param attempt one HTTP attempt in all, however slowly the bytes come
   * @param call the whole call, retries included
   */
  private record Timeouts(Duration connect, Duration socket, Duration attempt, Duration call) {
    /** 5 s to connect; an attempt may take 10 s beyond the socket timeout, a call three socket timeouts. */
    static Timeouts socket(Duration socket) {
      return new Timeouts(Duration.ofSeconds(5), socket, socket.plusSeconds(10), socket.multipliedBy(3));
    }
  }

  private <B extends AwsClientBuilder<B, ?>> B configure(B builder, int maxAttempts) {
    return configure(builder, maxAttempts, Timeouts.socket(Duration.ofSeconds(15)));
  }

  private <B extends AwsClientBuilder<B, ?>> B configure(B builder, int maxAttempts, Timeouts timeouts) {
    RetryStrategy retry = maxAttempts <= 1
        ? AwsRetryStrategy.doNotRetry()
        : AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build();
    ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
        .retryStrategy(retry)
        .apiCallAttemptTimeout(timeouts.attempt())
        .apiCallTimeout(timeouts.call());
    interceptors.forEach(override::addExecutionInterceptor);
    builder.region(region).credentialsProvider(credentials).overrideConfiguration(override.build());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
      sync.httpClientBuilder(UrlConnectionHttpClient.builder()
          .connectionTimeout(timeouts.connect())
          .socketTimeout(timeouts.socket()));
    }
    return builder;
  }
}
