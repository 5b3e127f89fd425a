package io.tern.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void parsesFamiliesSamplesAndEscapedLabels() {
    PrometheusText p = PrometheusText.parse("""
        # HELP a_total things
        # TYPE a_total counter
        a_total{x="1",y="q\\"uote\\\\"} 3.0
        # TYPE g gauge
        g 1.5e3 1700000000000
        # TYPE s summary
        s_count 2
        s_sum NaN
        """);
    assertThat(p.value("a_total")).isEqualTo(3.0);
    assertThat(p.samples.get(0).labels()).containsEntry("y", "q\"uote\\");
    assertThat(p.value("g")).isEqualTo(1500.0);
    assertThat(p.value("s_count")).isEqualTo(2.0);
    assertThat(p.types).containsEntry("s", "summary");
  }

  @Test
  void refusesWhatTheFormatDoesNotAllow() {
    assertThatThrownBy(() -> PrometheusText.parse("x 1\n")).hasMessageContaining("TYPE");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{a=1} 1\n")).hasMessageContaining("quoted");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx one\n")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\n# TYPE x gauge\n")).hasMessageContaining("twice");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE 9x gauge\n")).hasMessageContaining("name");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{a=\"1\" b=\"2\"} 1\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
