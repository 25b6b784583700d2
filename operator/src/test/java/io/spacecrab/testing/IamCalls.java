package io.spacecrab.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** The IAM operations a client's calls named, in call order (an SDK interceptor: once per call, not per retry). */
public final class IamCalls implements ExecutionInterceptor {
  private final List<String> operations = new CopyOnWriteArrayList<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if ("Iam".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
      operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }
  }

  /** The operations so far ({@code CreateUser}, {@code GetUser}, …), as they are now. */
  public List<String> operations() {
    return List.copyOf(operations);
  }
}
