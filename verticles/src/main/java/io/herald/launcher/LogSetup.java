package io.herald.launcher;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.herald.launcher.config.LogFormat;
import org.slf4j.LoggerFactory;

/** Applies {@code log.format} to the console appender defined in {@code logback.xml}. */
final class LogSetup {

  static final String CONSOLE_APPENDER = "CONSOLE";

  private LogSetup() {
  }

  static void apply(LogFormat format) {
    if (format != LogFormat.JSON) {
      return;
    }
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      LoggerFactory.getLogger(LogSetup.class).warn("log.format json needs logback; keeping the default layout");
      return;
    }
    Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(CONSOLE_APPENDER);
    if (appender instanceof OutputStreamAppender<ILoggingEvent> console) {
      JsonEncoder encoder = new JsonEncoder();
      encoder.setContext(context);
      // one object per event: time, level, thread, logger, the formatted message, MDC and any throwable
      encoder.setWithSequenceNumber(false);
      encoder.setWithNanoseconds(false);
      encoder.setWithContext(false);
      encoder.setWithMessage(false);
      encoder.setWithArguments(false);
      encoder.setWithFormattedMessage(true);
      encoder.start();
      console.stop();
      console.setEncoder(encoder);
      console.start();
    }
  }
}
