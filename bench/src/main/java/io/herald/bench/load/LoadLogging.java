package io.herald.bench.load;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * During a load run stdout carries the report alone: the in-process node logs only warnings and errors, and on
 * stderr, beside the progress.
 */
public final class LoadLogging {

  static final String CONSOLE_APPENDER = "CONSOLE";

  private LoadLogging() {
  }

  public static void quiet() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    Appender<ILoggingEvent> appender = root.getAppender(CONSOLE_APPENDER);
    if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
      console.stop();
      console.setTarget("System.err");
      console.start();
    }
  }
}
