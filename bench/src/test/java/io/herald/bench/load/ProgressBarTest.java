package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@DisplayName("load progress bar")
class ProgressBarTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("shows done/total, the bar, the percentage, the rate over the last second, the errors and the time")
  void line() {
    ProgressBar bar = new ProgressBar(out, false, "orders", 20_000, 0);
    bar.update(1_000, 0, ms(1_000));
    bar.update(4_000, 0, ms(2_000));

    assertThat(bar.line(4_000, 2, ms(2_000)))
        .isEqualTo("orders 4,000/20,000 [######........................]  20.0%  3,000/s  errors 2  2s");
  }

  @Test
  @DisplayName("on a terminal it redraws in place with \\r, at most every 200 ms, and ends the line when finished")
  void terminal() {
    ProgressBar bar = new ProgressBar(out, true, "orders", 100, 0);
    for (long t = 0; t <= 1_000; t += 50) {
      bar.update(t / 10, 0, ms(t));
    }
    bar.finish(100, 0, ms(1_010));

    assertThat(printed().chars().filter(c -> c == '\r').count()).isEqualTo(5 + 1);
    assertThat(printed()).doesNotContain("\n" + "orders").endsWith("\n");
    assertThat(printed().strip()).endsWith("errors 0  1s");
  }

  @Test
  @DisplayName("elsewhere it prints a plain line every 2 s, and a last one when finished")
  void plain() {
    ProgressBar bar = new ProgressBar(out, false, "orders", 100, 0);
    for (long t = 0; t <= 5_000; t += 100) {
      bar.update(t / 50, 0, ms(t));
    }
    bar.finish(100, 0, ms(5_050));

    assertThat(printed()).doesNotContain("\r");
    assertThat(printed().lines()).hasSize(2 + 1).last().asString().startsWith("orders 100/100 [");
  }

  @Test
  @DisplayName("clear blanks a terminal's bar line for another line, and the next update redraws it at once")
  void clearTerminal() {
    ProgressBar bar = new ProgressBar(out, true, "orders", 100, 0);
    bar.update(10, 0, ms(200));
    String drawn = bar.line(10, 0, ms(200));

    bar.clear();
    String cleared = printed();
    bar.update(11, 0, ms(250));

    assertThat(cleared).isEqualTo("\r" + drawn + "\r" + " ".repeat(drawn.length()) + "\r");
    assertThat(printed().substring(cleared.length())).isEqualTo("\r" + bar.line(11, 0, ms(250)));
  }

  @Test
  @DisplayName("elsewhere clear prints nothing: the bar's lines are whole lines already")
  void clearPlain() {
    ProgressBar bar = new ProgressBar(out, false, "orders", 100, 0);
    bar.update(50, 0, ms(2_000));
    String drawn = printed();

    bar.clear();
    bar.update(51, 0, ms(2_100));

    assertThat(printed()).isEqualTo(drawn);
  }
}
