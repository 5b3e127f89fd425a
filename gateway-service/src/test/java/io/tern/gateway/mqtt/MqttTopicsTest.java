package io.tern.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every pair here was observed on nats-server 2.9.10 (mosquitto_pub/sub against a raw NATS client). */
class MqttTopicsTest {

  @ParameterizedTest
  @CsvSource({
      "a/b, a.b",
      "x, x",
      "/a//b, /.a./.b",
      "a/b/, a.b./",
      "a//b, a./.b",
      "//, /././",
      "/, /./",
      "a/, a./",
      "a///b, a././.b",
  })
  void publishTopicsBecomeSubjectsAsNatsServerMakesThem(String topic, String subject) {
    assertThat(MqttTopics.topicToSubject(topic)).isEqualTo(subject);
    assertThat(MqttTopics.subjectToTopic(subject)).isEqualTo(topic);
  }

  @ParameterizedTest
  @CsvSource({
      "/.a./.b, /a//b",
      "a.b./, a/b/",
      "/./, /",
      "a/b.c, a/b/c",
      "a./b, a/b",
      "a/.b, a//b",
      "x.y, x/y",
      "a//b.c, a//b/c",
      "/, /",
      "a.//.b, a///b",
  })
  void natsSubjectsBecomeTopicsAsNatsServerShowsThem(String subject, String topic) {
    assertThat(MqttTopics.subjectToTopic(subject)).isEqualTo(topic);
  }

  @Test
  void filtersMapWildcardsAndHashAlsoSubscribesTheParent() {
    assertThat(MqttTopics.filterToSubjects("a/+/c")).containsExactly("a.*.c");
    assertThat(MqttTopics.filterToSubjects("a/#")).containsExactly("a", "a.>");
    assertThat(MqttTopics.filterToSubjects("#")).containsExactly(">");
    assertThat(MqttTopics.filterToSubjects("+")).containsExactly("*");
    assertThat(MqttTopics.filterToSubjects("a/b")).isEqualTo(List.of("a.b"));
  }

  @Test
  void dotsAndSpacesAreRefusedWithNatsServersText() {
    assertThatThrownBy(() -> MqttTopics.topicToSubject("a.b/c"))
        .hasMessage("characters ' ' and '.' not supported for MQTT topics");
    assertThatThrownBy(() -> MqttTopics.filterToSubjects("a b"))
        .hasMessage("characters ' ' and '.' not supported for MQTT topics");
    assertThatThrownBy(() -> MqttTopics.topicToSubject("a/+")).isInstanceOf(MqttTopics.InvalidTopicException.class);
    assertThatThrownBy(() -> MqttTopics.topicToSubject("")).isInstanceOf(MqttTopics.InvalidTopicException.class);
  }

  @Test
  void wellFormedRefusesEmptyNulIllFormedAndMisplacedWildcards() {
    assertThat(MqttTopics.isWellFormed("a/b", false)).isTrue();
    assertThat(MqttTopics.isWellFormed("", false)).isFalse();
    assertThat(MqttTopics.isWellFormed("a\u0000b", false)).isFalse();
    assertThat(MqttTopics.isWellFormed("a\uFFFDb", true)).isFalse();
    assertThat(MqttTopics.isWellFormed("a/#", true)).isTrue();
    assertThat(MqttTopics.isWellFormed("+/a/+", true)).isTrue();
    assertThat(MqttTopics.isWellFormed("a/#/b", true)).isFalse();
    assertThat(MqttTopics.isWellFormed("a+/b", true)).isFalse();
    assertThat(MqttTopics.isWellFormed("a/b#", true)).isFalse();
  }

  @Test
  void filtersStartingWithAWildcardDoNotSeeDollarTopics() {
    assertThat(MqttTopics.hiddenFromFilter("$SYS.x", "#")).isTrue();
    assertThat(MqttTopics.hiddenFromFilter("$SYS.x", "+/x")).isTrue();
    assertThat(MqttTopics.hiddenFromFilter("$SYS.x", "$SYS/#")).isFalse();
    assertThat(MqttTopics.hiddenFromFilter("a.$x", "#")).isFalse();
    assertThat(MqttTopics.hiddenFromFilter("a.b", "+/b")).isFalse();
  }
}
