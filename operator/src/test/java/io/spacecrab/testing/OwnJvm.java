package io.spacecrab.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that starts servers, operators or processes (moto, the mock API server, an HTTP
 * receiver, the jar): surefire runs it in a JVM of its own, so nothing it starts can outlive it or
 * disturb the next class. Every other {@code *Test} class is pure and shares one reused JVM.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(OwnJvm.TAG)
public @interface OwnJvm {
  String TAG = "own-jvm";
}
