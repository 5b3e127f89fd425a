package io.tern.common.subject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubjectTransformTest {

  @Test
  void wildcardsDollarsAndTail() {
    assertThat(SubjectTransform.compile("a.*.*", "b.{{wildcard(2)}}.$1").apply("a.x.y")).isEqualTo("b.y.x");
    assertThat(SubjectTransform.compile("a.>", "b.>").apply("a.x.y")).isEqualTo("b.x.y");
    assertThat(SubjectTransform.compile("a.*", "b").apply("a.x.y")).isNull();
    assertThat(SubjectTransform.compile("a", "b").apply("c")).isNull();
  }

  @Test
  void splitAndSliceFunctions() {
    assertThat(SubjectTransform.compile("s.*", "{{split(1,-)}}").apply("s.-a--b-")).isEqualTo("a.b");
    assertThat(SubjectTransform.compile("s.*", "{{splitFromLeft(1,2)}}").apply("s.abcd")).isEqualTo("ab.cd");
    assertThat(SubjectTransform.compile("s.*", "{{splitFromRight(1,1)}}").apply("s.abcd")).isEqualTo("abc.d");
    assertThat(SubjectTransform.compile("s.*", "{{sliceFromLeft(1,3)}}").apply("s.abcdefg")).isEqualTo("abc.def.g");
    assertThat(SubjectTransform.compile("s.*", "{{sliceFromRight(1,3)}}").apply("s.abcdefg")).isEqualTo("a.bcd.efg");
  }

  @Test
  void partitionIsStableAndInRange() {
    SubjectTransform t = SubjectTransform.compile("p.*", "{{partition(3)}}");
    for (String key : new String[] {"a", "b", "customer-17"}) {
      String out = t.apply("p." + key);
      assertThat(Integer.parseInt(out)).isBetween(0, 2);
      assertThat(t.apply("p." + key)).isEqualTo(out);
    }
    // FNV-1a 32 of "a" is 0xe40c292c.
    assertThat(Integer.toUnsignedLong(SubjectTransform.fnv1a("a"))).isEqualTo(0xe40c292cL);
  }

  @Test
  void badTemplatesAreRefused() {
    assertThatThrownBy(() -> SubjectTransform.compile("a.*", "b.$2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SubjectTransform.compile("a.*", "b.{{nope(1)}}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SubjectTransform.compile("a.*", "b.>")).isInstanceOf(IllegalArgumentException.class);
  }
}
