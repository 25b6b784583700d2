package io.spacecrab.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Simulates a process crash right after its n-th write (AWS or Kubernetes): that write goes
 * through, and every later call of the process, read or write, fails as if it never happened.
 * Kubernetes Events are not counted as writes.
 */
public final class CrashSwitch {
  private static final Set<String> KUBE_WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Set<String> AWS_WRITE_PREFIXES = Set.of("Create", "Put", "Delete", "Update", "Tag",
      "Untag", "Attach", "Detach", "Remove", "Deactivate", "Enable", "Upload", "BatchWrite");

  private final int crashAfter;
  private final AtomicInteger writes = new AtomicInteger();
  private volatile boolean crashed;
  private final StringBuffer log = new StringBuffer();

  public CrashSwitch(int crashAfter) {
    this.crashAfter = crashAfter;
  }

  public boolean crashed() {
    return crashed;
  }

  public int writes() {
    return writes.get();
  }

  /** The writes seen, in order, for failure messages. */
  public String history() {
    return log.toString();
  }

  private void beforeCall(boolean write, String what) {
    if (crashed) {
      throw new SimulatedCrash(what);
    }
    if (write) {
      int n = writes.incrementAndGet();
      log.append(n).append(' ').append(what).append('\n');
      if (n >= crashAfter) {
        crashed = true;
      }
    }
  }

  /** For the operator's AWS clients. */
  public ExecutionInterceptor aws() {
    return new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        boolean write = AWS_WRITE_PREFIXES.stream().anyMatch(op::startsWith);
        beforeCall(write, "aws " + op);
      }
    };
  }

  /** For the operator's Kubernetes client. */
  public Interceptor kube() {
    return new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        String path = request.uri().getPath();
        boolean write = KUBE_WRITES.contains(request.method()) && !path.contains("/events");
        beforeCall(write, "k8s " + request.method() + " " + path);
      }
    };
  }

  /** The failure every call after the crash point gets. */
  public static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash(String what) {
      super("simulated crash: " + what + " never happened");
    }
  }
}
