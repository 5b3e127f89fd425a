package io.tern.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test against {@code nats-server -t -c FILE} (Debian's 2.9.10): our parser accepts
 * exactly the files its parser accepts, and parse + {@link ConfigLoader} is clean (no error, no warning)
 * exactly when nats-server reports the file valid.
 */
class NatsServerConfigOracleTest {

  private static final Path NATS_SERVER = Path.of("/usr/sbin/nats-server");
  private static final Map<String, String> ENV = Map.of("TERN_ORACLE_PORT", "4555", "TERN_ORACLE_MAP", "{ a: 1 }");
  /** nats-server prefixes errors found after parsing (unknown fields, wrong types) with {@code file:line:col:}. */
  private static final Pattern POSITIONED_ERROR = Pattern.compile("^nats-server: \\S+:\\d+:\\d+: ");
  private static final String HASH = "$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG";

  @TempDir static Path dir;
  private static int counter;

  @BeforeAll
  static void requireOracle() throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(NATS_SERVER), "no " + NATS_SERVER);
    Files.createDirectories(dir.resolve("inc"));
    Files.writeString(dir.resolve("inc/port.conf"), "port: 4999\nV = 7\n");
    Files.writeString(dir.resolve("inc/auth.conf"), "user: a\npassword: b\n");
    Files.writeString(dir.resolve("inc/chain.conf"), "include chained.conf\n");
    Files.writeString(dir.resolve("inc/chained.conf"), "debug: true\n");
    Files.writeString(dir.resolve("inc/usesx.conf"), "max_pending: $X\n");
    Files.writeString(dir.resolve("inc/broken.conf"), "a: [1,,2]\n");
  }

  /** Configs using only keys Tern maps: clean for us iff valid for nats-server. */
  static Stream<String> mappedKeyConfigs() {
    // A key without a value inside a block: nats-server's parser accepts it but misfiles the block
    // under that key, so its option processing fails; ours rejects it while parsing. Either way the
    // file is refused, so these take part in the clean-iff-valid test only.
    return Stream.concat(sharedConfigs(),
        Stream.of("jetstream { store_dir }", "jetstream { max_file_store: 1Mbb }"));
  }

  private static Stream<String> sharedConfigs() {
    return Stream.of(
        "port: 4222\nhost: 127.0.0.1",
        "port = 4222; debug = true, trace = false",
        "port 4222\nserver_name \"n1\"",
        "{ \"port\": 4222, \"debug\": true }",
        "port = 4222 }",
        "# comment\n// comment\nport: 4222 # trailing\ndebug: true // trailing",
        "debug: YES\ntrace: Off",
        "debug: on\ntrace: FALSE",
        "max_payload: 1MB\nmax_pending: 1mb\nmax_control_line: 1Ki",
        "max_payload: 1MiB\nmax_pending: 1G\nmax_connections: 1k",
        "max_payload: 1MIB",
        "max_pending: 1E",
        "max_payload: 1Mbb\nport: 1",
        "max_payload: 1.5",
        "max_payload: 5000000000",
        "max_payload: 1x",
        "max_payload: 1e5",
        "max_payload: 99999999999999999999",
        "ping_interval: \"1m30s\"\nwrite_deadline: 2s",
        "ping_interval: 1h30m\nwrite_deadline: 500ms",
        "ping_interval: 90",
        "ping_interval: 1m",
        "ping_interval: \"90\"",
        "ping_interval: 1m30s",
        "ping_interval: 1.5h",
        "write_deadline: \"1.5s\"",
        "ping_max: 3\nmax_subscriptions: 100\nmax_subs: 5\nmax_conn: 7",
        "listen: 127.0.0.1:4333",
        "listen: localhost:4333",
        "listen: :4333",
        "listen: 4333",
        "listen: \"[::1]:4333\"",
        "listen: [::1]:4333",
        "listen: localhost",
        "http: localhost:8333\nhttp_port: 8222",
        "monitor_port: 8222\nnet: 0.0.0.0",
        "port: \"abc\"",
        "port: -1",
        "port: -",
        "port: 1.",
        "port: .5",
        "server_name: 2020-01-02T03:04:05Z",
        "server_name: abc\"def",
        "server_name: abc'def",
        "server_name: \"abc\" trailing",
        "server_name: \"a\\tb\\x41\\\"\\\\\"",
        "server_name: \"a\\qb\"",
        "server_name: 'a\\qb'",
        "server_name: a\\tb",
        "server_name: \"a\\x4\"",
        "server_name:\nport: 1",
        "server_name:",
        "server_name",
        "\"server_name\": x\n'port' = 5",
        "server_name: (\nabc\n)",
        "server_name: (abc)",
        "x = 5\nport: $x",
        "x = 5\nport: 6",
        "port: $nope",
        "port: $TERN_ORACLE_PORT",
        "authorization { user: a, password: " + HASH + " }",
        "authorization { user: a, password: " + HASH.replace("$2a$", "$2b$") + " }",
        "authorization { user: a, password: \"" + HASH.replace("$2a$", "$2b$") + "\" }",
        "authorization { user: a, password: x$y, timeout: 1.5 }",
        "authorization {\n  token: \"s3cr3t\"\n  timeout: 3\n}",
        "authorization { token: a, user: b }",
        "authorization { foo: 1 }",
        "authorization: 5",
        "P = 4111\nauthorization { P = 5, user: a, password: b }\nport: $P",
        "authorization { Q = 5, user: a, password: $Q }",
        "authorization { Q = \"p\", user: a, password: $Q }\nport: $Q",
        "P = 4111\nauthorization { user: a, password: $P }",
        "jetstream { store_dir: \"/tmp/tern-oracle-js\", max_memory_store: 1G, max_file_store: 10GB, enabled: true }",
        "jetstream {\n max_file_store: \"1G\"\n # c\n // c\n max_memory_store = 100MB ; enabled: false }",
        "jetstream { max_file_store: \"1GB\" }",
        "jetstream { max_file_store: \"100\" }",
        "jetstream { max_file_store: 1.5 }",
        "jetstream { enabled: \"yes\" }",
        "jetstream { foo: 1 }",
        "jetstream { Store_Dir: /tmp/x }",
        "jetstream: enabled",
        "jetstream: Disabled",
        "jetstream: on",
        "jetstream: maybe",
        "jetstream: 1",
        "store_dir: /tmp/a\njetstream { store_dir: /tmp/b }",
        "jetstream { store_dir: /tmp/b }\nstore_dir: /tmp/a",
        "A = 1G\njetstream { B = $A, max_file_store: $B }",
        "foo: 1",
        "PORT: 4000\nDEBUG: true",
        "include \"inc/port.conf\"\nmax_pending: $V",
        "include inc/port.conf",
        "include 'inc/port.conf'\nmax_pending: $V",
        "INCLUDE inc/port.conf\nmax_pending: $V",
        "include: inc/port.conf",
        "authorization { include \"inc/auth.conf\" }",
        "authorization { include inc/auth.conf; timeout: 1.5 }",
        "include inc/chain.conf",
        "include inc/missing.conf",
        "include ./inc/../inc/port.conf\nmax_pending: $V",
        "X = 3\ninclude \"inc/usesx.conf\"",
        "include inc/broken.conf",
        "port: 4222 /\ndebug: true",
        "/ port: 1",
        "port: 4222\r\ndebug: true\r\n",
        "port: 4222\nbar {");
  }

  /** Syntax-only configs (any keys): our parser accepts them iff nats-server's parser does. */
  static Stream<String> syntaxConfigs() {
    return Stream.concat(sharedConfigs(), Stream.of(
        "a { b { c: 1 } }\nd = { e = [1, 2 ] }",
        "a: [1, 2]\n",
        "a: [1, 2 ]",
        "a: [1k]",
        "a: [1k, 2]",
        "a: [\n  1, \"two\", 3.5, true, [x, y], {k: v},\n  # c\n  four // c\n  2.0\n]",
        "a: [,]",
        "a: [1,,2]",
        "a: [1 2]",
        "a: [1, ]",
        "a { b: 1 ] }",
        "a { = 5 }",
        "= 5",
        "a: 1k]",
        "a: 1kx",
        "a: 10ms\nb: 1h\nc: 2s",
        "a: -1k\nb: -1.5\nc: -1.2.3",
        "a: 1.2.3.4:80",
        "a: 1.2.3.4abc",
        "a: 2020-01-02T03:04:05Z",
        "a: 2020-01-02",
        "a: 20-01-02T03:04:05Z",
        "a: 2020-13-02T03:04:05Z",
        "a: 2020-02-30T03:04:05Z",
        "a: 2020-01-02T24:04:05Z",
        "a: \"abc",
        "a: \"",
        "a: 'abc",
        "a: '",
        "\"",
        "\"abc",
        "a { \"b",
        "a { b",
        "a { b: 1",
        "a { b: 1,",
        "include\n\"x\"",
        "a: x\\q",
        "a: $TERN_ORACLE_MAP",
        "a: 1 b",
        "a: 1 / b",
        "a { /b: 1 }",
        "a { b: 1 / c: 2 }",
        "a: [1 / 2]",
        "a: [/]",
        "a: \"x\\x4",
        "a: true'",
        "a: $",
        "k = 1\na { k = 2, b: $k }\nc: $k",
        "a { k = 2 }\nc: $k",
        "c: $k\nk = 1",
        "a: \u00e9t\u00e9\n\u00fcber = 1",
        "a: (\nx\n)\nb: 1",
        "a: (\nx\n)",
        "a: ( x )\n)",
        "a\n: 1",
        "a\n1",
        "a:\n1"));
  }

  @ParameterizedTest
  @MethodSource("syntaxConfigs")
  void ourParserAcceptsExactlyWhatNatsServersParserAccepts(String config) throws Exception {
    Path file = write(config);
    Oracle oracle = runOracle(file);
    boolean oracleParsed = oracle.valid() || POSITIONED_ERROR.matcher(oracle.output()).find();
    String ours;
    try {
      ConfigParser.parse(file, ENV::get);
      ours = null;
    } catch (ConfigException e) {
      ours = e.getMessage();
    }
    assertThat(ours == null)
        .as("config:%n%s%nnats-server: %s%nours: %s", config, oracle.output(), ours)
        .isEqualTo(oracleParsed);
  }

  @ParameterizedTest
  @MethodSource("mappedKeyConfigs")
  void parseAndApplyIsCleanExactlyWhenNatsServerSaysValid(String config) throws Exception {
    Path file = write(config);
    Oracle oracle = runOracle(file);
    String ours;
    try {
      List<String> warnings = ConfigLoader.apply(ConfigParser.parse(file, ENV::get), new TernOptions());
      ours = warnings.isEmpty() ? null : "warnings " + warnings;
    } catch (ConfigException e) {
      ours = e.getMessage();
    }
    assertThat(ours == null)
        .as("config:%n%s%nnats-server: %s%nours: %s", config, oracle.output(), ours)
        .isEqualTo(oracle.valid());
  }

  private record Oracle(boolean valid, String output) {}

  private static synchronized Path write(String config) throws IOException {
    Path file = dir.resolve("case-" + (++counter) + ".conf");
    Files.writeString(file, config, StandardCharsets.UTF_8);
    return file;
  }

  private static Oracle runOracle(Path file) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(NATS_SERVER.toString(), "-t", "-c", file.toString())
        .directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().clear(); // the oracle must see the same environment as our parser
    pb.environment().putAll(ENV);
    Process process = pb.start();
    try {
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("nats-server -t finished").isTrue();
      return new Oracle(process.exitValue() == 0, output);
    } finally {
      process.destroyForcibly();
    }
  }
}
