package io.spacecrab.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Every log line of the JVM at DEBUG (message, stack trace, MDC) while open, with the project's
 * logback configuration otherwise in force. The in-process API server's own logs are left out:
 * it stands in for the cluster and stores Secrets by design.
 */
public final class LogCapture implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger root;
  private final Level previous;
  private final AppenderBase<ILoggingEvent> appender;

  public LogCapture() {
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = logback.getLogger(Logger.ROOT_LOGGER_NAME);
    previous = root.getLevel();
    appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        if (e.getLoggerName().startsWith("io.fabric8.kubernetes.client.server.mock")
            || e.getLoggerName().startsWith("io.fabric8.mockwebserver")) {
          return;
        }
        lines.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
            : ThrowableProxyUtil.asString(e.getThrowableProxy())) + e.getMDCPropertyMap());
      }
    };
    appender.setContext(logback);
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.DEBUG);
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    root.setLevel(previous);
    root.detachAppender(appender);
  }
}
