package io.tern.common.subject;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SubjectsTest {

  // Expectations follow nats-server 2.9.10 sublist.go and its sublist_test.go cases.
  @ParameterizedTest(name = "[{0}] valid={1} publish={2} literal={3} validLiteral={4}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "foo          | true  | true  | true  | true",
        "foo.bar      | true  | true  | true  | true",
        "foo.*        | true  | false | false | false",
        "*            | true  | false | false | false",
        ">            | true  | false | false | false",
        "foo.>        | true  | false | false | false",
        "*.bar.>      | true  | false | false | false",
        "foo.>.bar    | false | false | false | false",
        "foo.>.>      | false | false | false | false",
        "'.'          | false | false | true  | false",
        "foo.         | false | false | true  | false",
        ".foo         | false | false | true  | false",
        "foo..bar     | false | false | true  | false",
        "foo*         | true  | true  | true  | true",
        "foo>         | true  | true  | true  | true",
        "foo.bar*     | true  | true  | true  | true",
        "*foo.>bar    | true  | true  | true  | true",
        "foo.**       | true  | true  | true  | true",
        "foo.>>       | true  | true  | true  | true",
        "'foo bar'    | false | false | true  | true",
        "'foo.b\tr'   | false | false | true  | true",
        "'\f'         | false | false | true  | true",
        "'foo.\u000b' | true  | true  | true  | true",
        "'fö.bär.✓'   | true  | true  | true  | true",
      })
  void validityRulesMirrorNatsServer(
      String subject, boolean valid, boolean publish, boolean literal, boolean validLiteral) {
    assertThat(Subjects.isValidSubject(subject)).as("valid").isEqualTo(valid);
    assertThat(Subjects.isValidPublishSubject(subject)).as("publish").isEqualTo(publish);
    assertThat(Subjects.isLiteral(subject)).as("literal").isEqualTo(literal);
    assertThat(Subjects.isValidLiteralSubject(subject)).as("validLiteral").isEqualTo(validLiteral);

    byte[] padded = ("xx." + subject + ".yy").getBytes(StandardCharsets.UTF_8);
    int off = 3;
    int len = subject.getBytes(StandardCharsets.UTF_8).length;
    assertThat(Subjects.isValidSubject(padded, off, len)).as("valid bytes").isEqualTo(valid);
    assertThat(Subjects.isValidPublishSubject(padded, off, len)).as("publish bytes").isEqualTo(publish);
    assertThat(Subjects.isLiteral(padded, off, len)).as("literal bytes").isEqualTo(literal);
    assertThat(Subjects.isValidLiteralSubject(padded, off, len))
        .as("validLiteral bytes")
        .isEqualTo(validLiteral);
  }

  @Test
  void emptySubjectIsInvalidButLiteral() {
    assertThat(Subjects.isValidSubject("")).isFalse();
    assertThat(Subjects.isValidPublishSubject("")).isFalse();
    assertThat(Subjects.isValidLiteralSubject("")).isFalse();
    assertThat(Subjects.isLiteral("")).isTrue();
    byte[] b = "abc".getBytes(StandardCharsets.UTF_8);
    assertThat(Subjects.isValidSubject(b, 1, 0)).isFalse();
    assertThat(Subjects.isValidPublishSubject(b, 1, 0)).isFalse();
    assertThat(Subjects.isValidLiteralSubject(b, 1, 0)).isFalse();
  }

  @Test
  void tokenCountCountsDotsPlusOne() {
    assertThat(Subjects.tokenCount("")).isZero();
    assertThat(Subjects.tokenCount("foo")).isEqualTo(1);
    assertThat(Subjects.tokenCount("foo.bar.>")).isEqualTo(3);
    assertThat(Subjects.tokenCount("a..b")).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "foo, foo, true",
    "foo, bar, false",
    "foo.bar, foo.*, true",
    "foo, foo.*, false",
    "foo.bar.baz, foo.*, false",
    "foo.bar, *.bar, true",
    "foo.bar, *.*, true",
    "foo.bar, *, false",
    "foo, >, true",
    "foo.bar.baz, >, true",
    "foo, foo.>, false",
    "foo.bar, foo.>, true",
    "foo.bar.baz, foo.>, true",
    "foo.bar.baz, foo.*.>, true",
    "foo.bar, foo.*.>, false",
    "foo*, foo*, true",
    "foox, foo*, false",
    "foo.bar, foo.bar*, false",
    "foo.>, foo.>, true",
    "foo.*, foo.bar, false",
    "foo.*, foo.*, true",
    "foo..bar, foo.*.bar, false",
    "foo., foo.>, false",
    "foo.bar, foo.>.bar, false",
  })
  void referenceMatcher(String subject, String pattern, boolean expected) {
    assertThat(Subjects.matches(subject, pattern)).isEqualTo(expected);
    if (Subjects.isValidSubject(pattern) && Subjects.hasNoEmptyToken(subject)) {
      assertThat(SubjectPatterns.matches(subject, pattern)).as("cache matcher").isEqualTo(expected);
    }
  }
}
