package io.tern.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("unchecked")
class ConfigParserTest {

  private static final Map<String, String> ENV = Map.of("TERN_PORT", "4555", "TERN_MAP", "{a: 1}", "TERN_BAD", "[");

  private static ConfigMap parse(String text) {
    return ConfigParser.parse(text, null, ENV::get);
  }

  private static ConfigException parseError(String text) {
    try {
      parse(text);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException for: " + text);
  }

  @Test
  void threeKeyValueSeparatorsAndOptionalTerminators() {
    ConfigMap m = parse("a: 1\nb = 2\nc 3\nd: 4;\ne: 5,\nf = 6; g = 7, h 8");
    assertThat(m).containsExactly(Map.entry("a", 1L), Map.entry("b", 2L), Map.entry("c", 3L), Map.entry("d", 4L),
        Map.entry("e", 5L), Map.entry("f", 6L), Map.entry("g", 7L), Map.entry("h", 8L));
  }

  @Test
  void blocksWithAndWithoutSeparatorKeepOrder() {
    ConfigMap m = parse("z { y: 1, x: 2 }\na = { b { c: \"d\" } }\nq: {r\n=\ns\n}");
    assertThat(m.keySet()).containsExactly("z", "a", "q");
    assertThat((Map<String, Object>) m.get("z")).containsExactly(Map.entry("y", 1L), Map.entry("x", 2L));
    assertThat(m.get("a")).isEqualTo(Map.of("b", Map.of("c", "d")));
    assertThat(m.get("q")).isEqualTo(Map.of("r", "s"));
    assertThat(m.get("z")).isInstanceOf(ConfigMap.class);
  }

  @Test
  void outerJsonBracesAreAllowed() {
    assertThat(parse("{ \"port\": 4222, \"debug\": true }")).containsExactly(
        Map.entry("port", 4222L), Map.entry("debug", true));
    assertThat(parse("port = 4222 }")).containsExactly(Map.entry("port", 4222L));
  }

  @Test
  void arraysMixTypesAcrossLinesWithCommentsAndTrailingComma() {
    ConfigMap m = parse("a: [1, \"two\", 3.5, true, [x, y], {k: v},\n # note\n  four // more\n  2.0\n]");
    assertThat((List<Object>) m.get("a")).containsExactly(1L, "two", 3.5, true, List.of("x", "y"), Map.of("k", "v"),
        "four", 2.0);
    assertThat(parse("a: []").get("a")).isEqualTo(List.of());
  }

  @Test
  void numberDirectlyBeforeClosingBracketBecomesAStringAsInNatsServer() {
    assertThat(parse("a: [1, 2 ]").get("a")).isEqualTo(List.of(1L, 2L));
    assertThat(parse("a: [1k]").get("a")).isEqualTo(List.of("1k"));
    assertThat(parseError("a: [1, 2]\n").getMessage()).contains("unexpected EOF processing array");
  }

  @Test
  void comments() {
    ConfigMap m = parse("# top\n// also\na: 1 # trailing\nb: 2 // trailing\nc { # in block\n d: 3 // x\n}\n");
    assertThat(m).containsExactly(Map.entry("a", 1L), Map.entry("b", 2L), Map.entry("c", Map.of("d", 3L)));
  }

  @Test
  void quotedAndBareStringsAndKeys() {
    ConfigMap m = parse("\"quoted key\": \"v 1\"\n'single key' = 'it \"is\"'\nbare: some/path-1.x\nip: 127.0.0.1:4222\n"
        + "hostport: localhost:4222\nempty: \"\"\nweird: abc\"def");
    assertThat(m.get("quoted key")).isEqualTo("v 1");
    assertThat(m.get("single key")).isEqualTo("it \"is\"");
    assertThat(m.get("bare")).isEqualTo("some/path-1.x");
    assertThat(m.get("ip")).isEqualTo("127.0.0.1:4222");
    assertThat(m.get("hostport")).isEqualTo("localhost:4222");
    assertThat(m.get("empty")).isEqualTo("");
    assertThat(m.get("weird")).isEqualTo("abc\"def");
  }

  @Test
  void doubleQuotedEscapesAndRawSingleQuotes() {
    ConfigMap m = parse("a: \"t\\tn\\nr\\rq\\\"b\\\\x\\x41\"\nb: 'no\\tescape'\nc: bare\\tesc");
    assertThat(m.get("a")).isEqualTo("t\tn\nr\rq\"b\\xA");
    assertThat(m.get("b")).isEqualTo("no\\tescape");
    assertThat(m.get("c")).isEqualTo("bare\tesc");
    assertThat(parseError("a: \"\\q\"").getMessage()).contains("invalid escape character 'q'");
    assertThat(parseError("a: \"\\xZZ\"").getMessage()).contains("expected two hexadecimal digits after '\\x'");
  }

  @Test
  void integersFloatsAndSizeSuffixes() {
    ConfigMap m = parse("a: 42\nb: -7\nc: 1.5\nd: -0.25\ne: 1k\nf: 1K\ng: 1kb\nh: 1KiB\ni: 1M\nj: 1MB\nk: 1mb\n"
        + "l: 1Mi\nm: 2g\nn: 2GB\no: 1t\np: 1TiB\nq: -1k\nr: 1p\ns: 1e\nt: 1EB");
    assertThat(m.get("a")).isEqualTo(42L);
    assertThat(m.get("b")).isEqualTo(-7L);
    assertThat(m.get("c")).isEqualTo(1.5);
    assertThat(m.get("d")).isEqualTo(-0.25);
    assertThat(m.get("e")).isEqualTo(1000L);
    assertThat(m.get("f")).isEqualTo(1000L);
    assertThat(m.get("g")).isEqualTo(1024L);
    assertThat(m.get("h")).isEqualTo(1024L);
    assertThat(m.get("i")).isEqualTo(1_000_000L);
    assertThat(m.get("j")).isEqualTo(1L << 20);
    assertThat(m.get("k")).isEqualTo(1L << 20);
    assertThat(m.get("l")).isEqualTo(1L << 20);
    assertThat(m.get("m")).isEqualTo(2_000_000_000L);
    assertThat(m.get("n")).isEqualTo(2L << 30);
    assertThat(m.get("o")).isEqualTo(1_000_000_000_000L);
    assertThat(m.get("p")).isEqualTo(1L << 40);
    assertThat(m.get("q")).isEqualTo(-1000L);
    assertThat(m.get("r")).isEqualTo(1_000_000_000_000_000L);
    assertThat(m.get("s")).isEqualTo(1_000_000_000_000_000_000L);
    assertThat(m.get("t")).isEqualTo(1L << 60);
  }

  @Test
  void unitLikeWordsAreStringsAndMinutesAreMillions() {
    ConfigMap m = parse("a: 1h30m\nb: 10ms\nc: 2s\nd: 2m\ne: \"2m\"");
    assertThat(m.get("a")).isEqualTo("1h30m");
    assertThat(m.get("b")).isEqualTo("10ms");
    assertThat(m.get("c")).isEqualTo("2s");
    assertThat(m.get("d")).isEqualTo(2_000_000L); // 'm' is the mega suffix, as in nats-server
    assertThat(m.get("e")).isEqualTo("2m");
  }

  @Test
  void unknownSuffixComboIsDroppedAtTopLevelAsNatsServerDoes() {
    assertThat(parse("a: 1Mbb\nb: 2")).containsExactly(Map.entry("b", 2L));
  }

  @Test
  void booleansInAnyCase() {
    ConfigMap m = parse("a: true\nb: FALSE\nc: Yes\nd: no\ne: ON\nf: off\ng: \"true\"");
    assertThat(m).containsEntry("a", true).containsEntry("b", false).containsEntry("c", true)
        .containsEntry("d", false).containsEntry("e", true).containsEntry("f", false).containsEntry("g", "true");
  }

  @Test
  void zuluDatetimes() {
    assertThat(parse("at: 2021-02-03T04:05:06Z").get("at")).isEqualTo(Instant.parse("2021-02-03T04:05:06Z"));
    assertThat(parseError("at: 2021-13-03T04:05:06Z").getMessage())
        .isEqualTo("<config>:1:5: expected Zulu formatted DateTime, but got '2021-13-03T04:05:06Z'");
    assertThat(parseError("at: 21-02-03T04:05:06Z").getMessage()).contains("full Zulu form");
    assertThat(parseError("at: 2021-02-03").getMessage()).contains("expected 'T' in ISO8601 datetime");
  }

  @Test
  void blockStrings() {
    assertThat(parse("a: (\nline one\n  line two\n)\nb: 1")).containsEntry("a", "\nline one\n  line two\n")
        .containsEntry("b", 1L);
    assertThat(parseError("a: (abc)").getMessage()).contains("unexpected EOF processing block");
  }

  @Test
  void variablesAreScopedToEnclosingBlocksAndDefinedEarlier() {
    ConfigMap m = parse("x = 1\nouter { y = 2, inner { a: $x, b: $y } }\nc: $x");
    assertThat(m.get("outer")).isEqualTo(Map.of("y", 2L, "inner", Map.of("a", 1L, "b", 2L)));
    assertThat(m.get("c")).isEqualTo(1L);
    assertThat(m.isUsedAsVariable("x")).isTrue();
    assertThat(((ConfigMap) m.get("outer")).isUsedAsVariable("y")).isTrue();
    assertThat(m.isUsedAsVariable("c")).isFalse();
    assertThat(parseError("b { q = 5 }\nc: $q").getMessage())
        .isEqualTo("<config>:2:4: variable reference for 'q' can not be found");
    assertThat(parseError("c: $later\nlater: 1").getMessage()).contains("'later' can not be found");
  }

  @Test
  void redefiningAVariableForgetsItsUse() {
    ConfigMap m = parse("x = 1\ny: $x\nx = 2");
    assertThat(m.get("x")).isEqualTo(2L);
    assertThat(m.isUsedAsVariable("x")).isFalse();
  }

  @Test
  void variablesFallBackToTheEnvironmentParsedAsValues() {
    ConfigMap m = parse("port: $TERN_PORT\nm: $TERN_MAP");
    assertThat(m.get("port")).isEqualTo(4555L);
    assertThat(m.get("m")).isEqualTo(Map.of("a", 1L));
    assertThat(parseError("x: $TERN_BAD").getMessage()).contains("variable reference for 'TERN_BAD' could not be parsed");
    assertThat(parseError("x: $TERN_UNSET").getMessage()).isEqualTo(
        "<config>:1:4: variable reference for 'TERN_UNSET' can not be found");
  }

  @Test
  void bcryptHashesAreStringsButOnly2a() {
    String hash = "$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG";
    assertThat(parse("p: " + hash).get("p")).isEqualTo(hash);
    assertThat(parseError("p: $2b$11$abc").getMessage()).contains("variable reference for '2b$11$abc'");
    assertThat(parse("p: x$y").get("p")).isEqualTo("x$y");
  }

  @Test
  void includesAreRelativeToTheIncludingFile(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("main.conf"), "include \"sub/a.conf\"\nauth { include sub/b.conf; x: $V }\n");
    Files.writeString(dir.resolve("sub/a.conf"), "port: 1\nINCLUDE 'c.conf'\nV = 9\n");
    Files.writeString(dir.resolve("sub/c.conf"), "debug: true\n");
    Files.writeString(dir.resolve("sub/b.conf"), "user: u\n");
    ConfigMap m = ConfigParser.parse(dir.resolve("main.conf"), ENV::get);
    assertThat(m).containsEntry("port", 1L).containsEntry("debug", true).containsEntry("V", 9L);
    assertThat(m.get("auth")).isEqualTo(Map.of("user", "u", "x", 9L));
    assertThat(m.positionOf("debug")).isEqualTo(new ConfigPosition(dir.resolve("sub/c.conf"), 1, 1));
    assertThat(m.isUsedAsVariable("V")).isTrue();
  }

  @Test
  void includeErrorsNameBothFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("main.conf"), "a: 1\ninclude bad.conf\n");
    Files.writeString(dir.resolve("bad.conf"), "x: [1,,2]\n");
    assertThatThrownBy(() -> ConfigParser.parse(dir.resolve("main.conf"), ENV::get))
        .isInstanceOf(ConfigException.class)
        .hasMessage(dir.resolve("main.conf") + ":2:1: error parsing include file 'bad.conf': "
            + dir.resolve("bad.conf") + ":1:7: unexpected array value terminator ','");
    Files.writeString(dir.resolve("main.conf"), "include missing.conf\n");
    assertThatThrownBy(() -> ConfigParser.parse(dir.resolve("main.conf"), ENV::get))
        .hasMessageStartingWith(dir.resolve("main.conf") + ":1:1: error parsing include file 'missing.conf'");
  }

  @Test
  void includedFileDoesNotSeeTheIncludersVariables(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("main.conf"), "X = 1\ninclude inc.conf\n");
    Files.writeString(dir.resolve("inc.conf"), "y: $X\n");
    assertThatThrownBy(() -> ConfigParser.parse(dir.resolve("main.conf"), ENV::get))
        .hasMessageContaining("variable reference for 'X' can not be found");
  }

  @Test
  void keyPositionsAreOneBasedLineAndColumn(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("p.conf");
    Files.writeString(f, "a: 1\n  b {\n\tc: 2\n  }\n");
    ConfigMap m = ConfigParser.parse(f, ENV::get);
    assertThat(m.positionOf("a")).hasToString(f + ":1:1");
    assertThat(m.positionOf("b")).hasToString(f + ":2:3");
    assertThat(((ConfigMap) m.get("b")).positionOf("c")).hasToString(f + ":3:2");
  }

  @Test
  void errorPositionsNameFileLineAndColumn(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.conf");
    Files.writeString(f, "port: 4222\nbar {\n  x: 1\n");
    assertThatThrownBy(() -> ConfigParser.parse(f, ENV::get)).isInstanceOf(ConfigException.class)
        .hasMessage(f + ":4:1: unexpected EOF processing map")
        .extracting(e -> ((ConfigException) e).position()).isEqualTo(new ConfigPosition(f, 4, 1));
  }

  @Test
  void syntaxErrorsAndTheirPositions() {
    assertThat(parseError("a: 1 b").getMessage()).isEqualTo(
        "<config>:1:6: expected a top-level value to end with a new line, comment or EOF, but got 'b'");
    assertThat(parseError("a:\nb: 1").getMessage()).isEqualTo("<config>:1:3: expected value but found new line");
    assertThat(parseError("= 1").getMessage()).isEqualTo("<config>:1:1: unexpected key separator '='");
    assertThat(parseError("a { b: 1 ] }").getMessage()).isEqualTo(
        "<config>:1:10: expected a map value terminator ',' or a map terminator '}', but got ']'");
    assertThat(parseError("a: [,]").getMessage()).isEqualTo("<config>:1:5: unexpected array value terminator ','");
    assertThat(parseError("a: [1 2]").getMessage()).contains("expected an array value terminator");
    assertThat(parseError("a: .5").getMessage()).isEqualTo("<config>:1:4: floats must start with a digit");
    assertThat(parseError("a: 1.").getMessage()).contains("floats must have a digit after the '.'");
    assertThat(parseError("a: -x").getMessage()).contains("expected a digit but got 'x'");
    assertThat(parseError("a: 1e5").getMessage()).contains("but got '5'");
    assertThat(parseError("a: 1m30s").getMessage()).contains("but got '3'");
    assertThat(parseError("a: 1.5h").getMessage()).contains("but got 'h'");
    assertThat(parseError("a: [::1]:4222").getMessage()).contains("but got ':'");
    assertThat(parseError("a: abc'def").getMessage()).contains("but got 'd'");
    assertThat(parseError("a: \"abc\" x").getMessage()).contains("but got 'x'");
    assertThat(parseError("a: \"abc").getMessage()).contains("unexpected EOF in quoted string");
    assertThat(parseError("a: 99999999999999999999").getMessage())
        .isEqualTo("<config>:1:4: integer '99999999999999999999' is out of the range");
    assertThat(parseError("/ a: 1").getMessage()).startsWith("<config>:1:1: unexpected '/'");
    assertThat(parseError("include\n\"x\"").getMessage()).contains("expected include value but found new line");
    assertThat(parseError("a { b }").getMessage()).contains("key \"b\" has no value");
  }

  @Test
  void natsServerEndsQuietlyAtSomeEofs() {
    assertThat(parse("a: 1\nlonely")).containsExactly(Map.entry("a", 1L));
    assertThat(parse("a: 1\nb:")).containsExactly(Map.entry("a", 1L), Map.entry("b", ""));
    assertThat(parse("a: 1\nb: \"")).containsExactly(Map.entry("a", 1L));
    assertThat(parse("a: 1\n\"")).containsExactly(Map.entry("a", 1L));
  }

  @Test
  void loneSlashAfterAValueIsIgnoredAndCrLfWorks() {
    assertThat(parse("a: 1 /\r\nb: 2\r\n")).containsExactly(Map.entry("a", 1L), Map.entry("b", 2L));
  }
}
