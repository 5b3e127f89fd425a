package io.tern.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void singleUnits() {
    assertThat(Durations.parse("15ns")).isEqualTo(Duration.ofNanos(15));
    assertThat(Durations.parse("7us")).isEqualTo(Duration.ofNanos(7_000));
    assertThat(Durations.parse("7\u00b5s")).isEqualTo(Duration.ofNanos(7_000));
    assertThat(Durations.parse("7\u03bcs")).isEqualTo(Duration.ofNanos(7_000));
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Durations.parse("3m")).isEqualTo(Duration.ofMinutes(3));
    assertThat(Durations.parse("4h")).isEqualTo(Duration.ofHours(4));
  }

  @Test
  void combinationsFractionsAndSigns() {
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse(".5s")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("1.s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(Durations.parse("-2m3.4s")).isEqualTo(Duration.ofMillis(-123_400));
    assertThat(Durations.parse("+5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("-0")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("1h1m1s1ms1us1ns"))
        .isEqualTo(Duration.ofHours(1).plusMinutes(1).plusSeconds(1).plusNanos(1_001_001));
  }

  @Test
  void errorsUseGoWording() {
    assertThatThrownBy(() -> Durations.parse("90")).hasMessage("time: missing unit in duration \"90\"");
    assertThatThrownBy(() -> Durations.parse("1d")).hasMessage("time: unknown unit \"d\" in duration \"1d\"");
    assertThatThrownBy(() -> Durations.parse("")).hasMessage("time: invalid duration \"\"");
    assertThatThrownBy(() -> Durations.parse("-")).hasMessage("time: invalid duration \"-\"");
    assertThatThrownBy(() -> Durations.parse("s")).hasMessage("time: invalid duration \"s\"");
    assertThatThrownBy(() -> Durations.parse(".s")).hasMessage("time: invalid duration \".s\"");
    assertThatThrownBy(() -> Durations.parse("3000000h")).hasMessage("time: invalid duration \"3000000h\"");
  }

  @Test
  void formatsAsGo() {
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m0s");
    assertThat(Durations.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m0s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Durations.format(Duration.ofNanos(1500))).isEqualTo("1.5\u00b5s");
    assertThat(Durations.format(Duration.ofNanos(15))).isEqualTo("15ns");
  }
}
