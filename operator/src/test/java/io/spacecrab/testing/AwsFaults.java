package io.spacecrab.testing;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Answers chosen IAM calls (other services pass) with an AWS error (Throttling, LimitExceeded, AccessDenied, …) the
 * way IAM would: the request is sent to moto as a harmless no-op and the response replaced with
 * IAM's error XML, so the SDK's own error parsing and retry logic run unchanged.
 */
public final class AwsFaults implements ExecutionInterceptor {
  private static final ExecutionAttribute<Boolean> FAULTED = new ExecutionAttribute<>("fault");

  private final Predicate<String> operations;
  private final double fraction;
  private final int httpStatus;
  private final String code;
  private final AtomicInteger injected = new AtomicInteger();
  private final java.util.Random random = new java.util.Random(42);

  private AwsFaults(Predicate<String> operations, double fraction, int httpStatus, String code) {
    this.operations = operations;
    this.fraction = fraction;
    this.httpStatus = httpStatus;
    this.code = code;
  }

  /** IAM's throttling answer (HTTP 400, code Throttling) to this fraction of all calls. */
  public static AwsFaults throttling(double fraction) {
    return new AwsFaults(op -> true, fraction, 400, "Throttling");
  }

  /** Always answer these operations with this error. */
  public static AwsFaults always(Predicate<String> operations, int httpStatus, String code) {
    return new AwsFaults(operations, 1.0, httpStatus, code);
  }

  public int injected() {
    return injected.get();
  }

  @Override
  public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    boolean iam = "Iam".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
    boolean fault;
    synchronized (random) {
      fault = iam && operations.test(op) && random.nextDouble() < fraction;
    }
    if (!fault) {
      return context.httpRequest();
    }
    attributes.putAttribute(FAULTED, true);
    injected.incrementAndGet();
    // sent to a path moto does not serve: the call's side effects must not happen
    return context.httpRequest().toBuilder().encodedPath("/fault-injected").build();
  }

  @Override
  public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    if (!Boolean.TRUE.equals(attributes.getAttribute(FAULTED))) {
      return context.httpResponse();
    }
    return context.httpResponse().toBuilder().statusCode(httpStatus).statusText("Error")
        .removeHeader("Content-Length").build();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
      ExecutionAttributes attributes) {
    if (!Boolean.TRUE.equals(attributes.getAttribute(FAULTED))) {
      return context.responseBody();
    }
    String xml = "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>"
        + "<Code>" + code + "</Code><Message>injected " + code + "</Message></Error>"
        + "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>";
    return Optional.of(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }
}
