package io.tern.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonLineTest {

    @Test
    void writesAndParsesFlatRecords() {
        String line = new JsonLine()
                .put("id", "fanout-1to4/16B")
                .put("round", 2)
                .put("msgsPerSec", 1234.5678)
                .put("timedOut", false)
                .put("error", null)
                .put("note", "quote \" backslash \\ tab\t")
                .toString();
        assertThat(line).doesNotContain("\n").startsWith("{\"id\":\"fanout-1to4/16B\"");

        Map<String, Object> parsed = JsonLine.parse(line);
        assertThat(parsed).containsEntry("id", "fanout-1to4/16B")
                .containsEntry("round", 2L)
                .containsEntry("msgsPerSec", 1234.568)
                .containsEntry("timedOut", false)
                .containsEntry("error", null)
                .containsEntry("note", "quote \" backslash \\ tab\t");
    }

    @Test
    void nonFiniteNumbersBecomeNull() {
        assertThat(JsonLine.parse(new JsonLine().put("cpu", Double.NaN).toString())).containsEntry("cpu", null);
    }

    @Test
    void parsesLinesWrittenByTheShellScript() {
        Map<String, Object> parsed = JsonLine.parse(
                "{\"type\":\"server\",\"server\":\"tern\",\"round\":1,\"idleRssKb\":11840,\"cpuS\":2.310,\"benchExit\":0}");
        assertThat(parsed).containsEntry("idleRssKb", 11840L).containsEntry("cpuS", 2.31);
    }

    @Test
    void rejectsNestedValues() {
        assertThatThrownBy(() -> JsonLine.parse("{\"a\":[1]}")).isInstanceOf(IllegalArgumentException.class);
    }
}
