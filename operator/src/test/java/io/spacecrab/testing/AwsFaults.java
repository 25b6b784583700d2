package io.spacecrab.testing;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Faults in chosen calls of one AWS service (calls of other services pass), of two kinds:
 * <ul>
 *   <li>an AWS error (Throttling, LimitExceeded, AccessDenied, ServiceUnavailable, …) the way the
 *       service would answer it: the request is sent to moto as a harmless no-op and the response
 *       replaced with the service's error XML, so the SDK's own error parsing and retry logic run
 *       unchanged;</li>
 *   <li>a diversion: the request goes to another server (a local one that hangs, dribbles or
 *       redirects) instead of moto; later calls go to moto for real.</li>
 * </ul>
 * Services are named as the SDK names them ({@code "Iam"}, {@code "Ses"}); both speak AWS's query
 * protocol, whose error XML this writes. The SDK runs this once per call, not per retry.
 */
public final class AwsFaults implements ExecutionInterceptor {
  /** Which instance faulted the call: with several in one client, each rewrites only its own responses. */
  private static final ExecutionAttribute<AwsFaults> FAULTED_BY = new ExecutionAttribute<>("faulted-by");
  private static final Map<String, String> XML_NAMESPACE = Map.of(
      "Iam", "https://iam.amazonaws.com/doc/2010-05-08/",
      "Ses", "http://ses.amazonaws.com/doc/2010-12-01/");

  private final String service;
  private final BiPredicate<String, SdkRequest> calls;
  private final double fraction;
  private final int times;
  private final int httpStatus;
  private final String code;
  private final String message;
  private final URI divertTo;
  private final AtomicInteger injected = new AtomicInteger();
  private volatile boolean lifted;
  private final java.util.Random random = new java.util.Random(42);

  private AwsFaults(String service, BiPredicate<String, SdkRequest> calls, double fraction, int times,
      int httpStatus, String code, String message, URI divertTo) {
    this.service = service;
    this.calls = calls;
    this.fraction = fraction;
    this.times = times;
    this.httpStatus = httpStatus;
    this.code = code;
    this.message = message;
    this.divertTo = divertTo;
  }

  /** IAM's throttling answer (HTTP 400, code Throttling) to this fraction of all IAM calls. */
  public static AwsFaults throttling(double fraction) {
    return new AwsFaults("Iam", (op, request) -> true, fraction, Integer.MAX_VALUE, 400, "Throttling",
        "injected Throttling", null);
  }

  /** Always answer these IAM operations with this error. */
  public static AwsFaults always(Predicate<String> operations, int httpStatus, String code) {
    return new AwsFaults("Iam", (op, request) -> operations.test(op), 1.0, Integer.MAX_VALUE, httpStatus, code,
        "injected " + code, null);
  }

  /**
   * Answer the first {@code times} calls of {@code service} that {@code calls} picks (by operation
   * name and request) with this error; the later ones reach moto.
   */
  public static AwsFaults error(String service, BiPredicate<String, SdkRequest> calls, int times, int httpStatus,
      String code, String message) {
    if (!XML_NAMESPACE.containsKey(service)) {
      throw new IllegalArgumentException("no error XML known for service " + service);
    }
    return new AwsFaults(service, calls, 1.0, times, httpStatus, code, message, null);
  }

  /** Send the first {@code times} picked calls to {@code server} instead; the later ones reach moto. */
  public static AwsFaults divert(String service, BiPredicate<String, SdkRequest> calls, int times, URI server) {
    return new AwsFaults(service, calls, 1.0, times, 0, null, null, server);
  }

  /** From now on every call reaches moto (an operator's permission granted, an outage over). */
  public void lift() {
    lifted = true;
  }

  /** How many calls were faulted so far. */
  public int injected() {
    return injected.get();
  }

  @Override
  public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    boolean picked = service.equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))
        && calls.test(op, context.request());
    synchronized (random) {
      if (!picked || lifted || random.nextDouble() >= fraction || injected.get() >= times) {
        return context.httpRequest();
      }
      injected.incrementAndGet();
    }
    if (divertTo != null) {
      // the request is signed after this, for the new host: the server takes it as it is
      return context.httpRequest().toBuilder().protocol(divertTo.getScheme()).host(divertTo.getHost())
          .port(divertTo.getPort()).build();
    }
    attributes.putAttribute(FAULTED_BY, this);
    // sent to a path moto does not serve: the call's side effects must not happen
    return context.httpRequest().toBuilder().encodedPath("/fault-injected").build();
  }

  @Override
  public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    if (attributes.getAttribute(FAULTED_BY) != this) {
      return context.httpResponse();
    }
    return context.httpResponse().toBuilder().statusCode(httpStatus).statusText("Error")
        .removeHeader("Content-Length").build();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
      ExecutionAttributes attributes) {
    if (attributes.getAttribute(FAULTED_BY) != this) {
      return context.responseBody();
    }
    String type = httpStatus >= 500 ? "Receiver" : "Sender";
    String xml = "<ErrorResponse xmlns=\"" + XML_NAMESPACE.get(service) + "\"><Error><Type>" + type + "</Type>"
        + "<Code>" + code + "</Code><Message>" + message + "</Message></Error>"
        + "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>";
    return Optional.of(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }
}
