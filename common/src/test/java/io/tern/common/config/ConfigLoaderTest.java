package io.tern.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static List<String> apply(String text, TernOptions options) {
    return ConfigLoader.apply(ConfigParser.parse(text, null, name -> null), options);
  }

  @Test
  void mapsTheSupportedTopLevelKeys() {
    TernOptions o = new TernOptions();
    List<String> warnings = apply("host: 127.0.0.1\nport: 4333\nserver_name: n1\nhttp_port: 8333\nmax_payload: 2MB\n"
        + "max_control_line: 2048\nmax_pending: 10MB\nmax_connections: 100\nmax_subscriptions: 7\n"
        + "ping_interval: \"30s\"\nping_max: 3\nwrite_deadline: \"1.5s\"\ndebug: true\nTRACE: yes", o);
    assertThat(warnings).isEmpty();
    assertThat(o.getHost()).isEqualTo("127.0.0.1");
    assertThat(o.getPort()).isEqualTo(4333);
    assertThat(o.getServerName()).isEqualTo("n1");
    assertThat(o.getHttpPort()).isEqualTo(8333);
    assertThat(o.getMaxPayload()).isEqualTo(2 << 20);
    assertThat(o.getMaxControlLine()).isEqualTo(2048);
    assertThat(o.getMaxPending()).isEqualTo(10L << 20);
    assertThat(o.getMaxConnections()).isEqualTo(100);
    assertThat(o.getMaxSubscriptions()).isEqualTo(7);
    assertThat(o.getPingInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.getPingMax()).isEqualTo(3);
    assertThat(o.getWriteDeadline()).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.isDebug()).isTrue();
    assertThat(o.isTrace()).isTrue();
  }

  @Test
  void listenAndHttpTakeHostPortOrPort() {
    TernOptions o = new TernOptions();
    apply("listen: 10.0.0.1:4999\nhttp: localhost:8999", o);
    assertThat(o.getHost()).isEqualTo("10.0.0.1");
    assertThat(o.getPort()).isEqualTo(4999);
    assertThat(o.getHttpHost()).isEqualTo("localhost");
    assertThat(o.getHttpPort()).isEqualTo(8999);
    apply("listen: \":5000\"", o);
    assertThat(o.getHost()).isEqualTo("0.0.0.0");
    assertThat(o.getPort()).isEqualTo(5000);
    apply("listen: \"[::1]:5001\"\nmonitor_port: 1", o);
    assertThat(o.getHost()).isEqualTo("::1");
    assertThat(o.getHttpPort()).isEqualTo(1);
    apply("net: h\nlisten: 5002", o);
    assertThat(o.getHost()).isEqualTo("0.0.0.0");
    assertThat(o.getPort()).isEqualTo(5002);
    assertThatThrownBy(() -> apply("listen: localhost", new TernOptions()))
        .hasMessage("<config>:1:1: could not parse address string \"localhost\"");
    assertThatThrownBy(() -> apply("listen: \"h:x\"", new TernOptions()))
        .hasMessage("<config>:1:1: could not parse port \"x\"");
  }

  @Test
  void integerDurationsAreSecondsWithNatsServersWarning() {
    TernOptions o = new TernOptions();
    List<String> warnings = apply("ping_interval: 90", o);
    assertThat(o.getPingInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(warnings).containsExactly(
        "<config>:1:1: invalid use of field \"ping_interval\": ping_interval should be converted to a duration");
    assertThatThrownBy(() -> apply("write_deadline: \"90\"", o))
        .hasMessage("<config>:1:1: error parsing write_deadline: time: missing unit in duration \"90\"");
  }

  @Test
  void authorization() {
    TernOptions o = new TernOptions();
    assertThat(apply("authorization { user: u, password: p, timeout: 1.5 }", o)).isEmpty();
    assertThat(o.getAuthorization().getUser()).isEqualTo("u");
    assertThat(o.getAuthorization().getPassword()).isEqualTo("p");
    assertThat(o.getAuthorization().getTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.getAuthTimeout()).isEqualTo(Duration.ofMillis(1500));
    TernOptions t = new TernOptions();
    apply("authorization { token: s3cr3t, timeout: 3 }", t);
    assertThat(t.getAuthorization().getToken()).isEqualTo("s3cr3t");
    assertThat(t.getAuthorization().getTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> apply("authorization {\n token: a\n user: b\n}", new TernOptions()))
        .hasMessage("<config>:1:1: Cannot have a user/pass and token");
  }

  @Test
  void jetStreamForms() {
    TernOptions o = new TernOptions();
    assertThat(apply("jetstream { store_dir: /tmp/js, max_memory_store: 1G, max_file_store: \"2G\", enabled: false }",
        o)).isEmpty();
    assertThat(o.getJetStream().getStoreDir()).isEqualTo(Path.of("/tmp/js"));
    assertThat(o.getJetStream().getMaxMemoryStore()).isEqualTo(1_000_000_000L);
    assertThat(o.getJetStream().getMaxFileStore()).isEqualTo(2L << 30);
    assertThat(o.getJetStream().isEnabled()).isFalse();
    apply("jetstream: Enabled", o);
    assertThat(o.getJetStream().isEnabled()).isTrue();
    apply("jetstream: off", o);
    assertThat(o.getJetStream().isEnabled()).isFalse();
    apply("jetstream {}", o);
    assertThat(o.getJetStream().isEnabled()).isTrue();
    TernOptions top = new TernOptions();
    apply("store_dir: /data", top);
    assertThat(top.getJetStream().getStoreDir()).isEqualTo(Path.of("/data"));
    assertThatThrownBy(() -> apply("store_dir: /a\njetstream { store_dir: /b }", new TernOptions()))
        .hasMessage("<config>:2:13: Duplicate 'store_dir' configuration");
    assertThatThrownBy(() -> apply("jetstream: maybe", new TernOptions()))
        .hasMessage("<config>:1:1: Expected 'enabled' or 'disabled' for string value, got 'maybe'");
    assertThatThrownBy(() -> apply("jetstream { max_file_store: \"100\" }", new TernOptions()))
        .hasMessage("<config>:1:13: max_file_store sizes defined as strings must end in K, M, G, T");
  }

  @Test
  void jetStreamEncryptionKeyFromTheEnvironmentAndCipher() {
    TernOptions o = new TernOptions();
    assertThat(ConfigLoader.apply(ConfigParser.parse("jetstream { key: $JS_KEY, cipher: aes }", null,
        name -> name.equals("JS_KEY") ? "from-env" : null), o)).isEmpty();
    assertThat(o.getJetStream().getEncryption().getKey()).isEqualTo("from-env");
    assertThat(o.getJetStream().getEncryption().getCipher()).isEqualTo(JetStreamEncryptionOptions.Cipher.AES);
    assertThat(o.getJetStream().getEncryption().isEnabled()).isTrue();
    TernOptions d = new TernOptions();
    apply("jetstream { ek: \"k2\" }", d);
    assertThat(d.getJetStream().getEncryption().getCipher()).isEqualTo(JetStreamEncryptionOptions.Cipher.CHACHAPOLY);
    assertThat(d.getJetStream().getEncryption().getKey()).isEqualTo("k2");
    assertThat(new TernOptions().getJetStream().getEncryption().isEnabled()).isFalse();
    assertThatThrownBy(() -> apply("jetstream { key: k, cipher: des }", new TernOptions()))
        .hasMessageContaining("Unknown cipher \"des\", expected chachapoly or aes");
  }

  @Test
  void unknownFieldsAreWarningsInNatsServersWords() {
    List<String> warnings = apply("port: 1\nfoo: 1\njetstream { bar: 2 }\nauthorization { baz: 3 }",
        new TernOptions());
    assertThat(warnings).containsExactly("<config>:2:1: unknown field \"foo\"", "<config>:3:13: unknown field \"bar\"",
        "<config>:4:17: unknown field \"baz\"");
  }

  @Test
  void keysUsedAsVariablesAreNotUnknown() {
    assertThat(apply("P = 4111\nport: $P\njetstream { S = 1G, max_file_store: $S }", new TernOptions())).isEmpty();
  }

  @Test
  void notYetSupportedKeysWarnButNeverAbort() {
    List<String> warnings = apply("accounts { A { users: [{user: a, password: b}] } }\nleafnodes { port: 1 }\n"
        + "lame_duck_duration: \"30s\"\nlogtime: false\nauthorization { users: [] }", new TernOptions());
    assertThat(warnings).containsExactly(
        "<config>:2:1: field \"leafnodes\" is read and checked but not active yet");
  }

  @Test
  void clusterBlockIsReadAsNatsServerUsersWriteIt() {
    TernOptions o = new TernOptions();
    List<String> warnings = apply("cluster {\n  name: c1\n  listen: 0.0.0.0:6223\n"
        + "  routes: [\n    nats-route://127.0.0.1:6222\n    \"nats://user:pw@h2:7000\"\n    h3\n  ]\n"
        + "  advertise: \"10.0.0.5\"\n  partitions: 8\n  bus_port: 7100\n  pool_size: 3\n}", o);
    ClusterOptions c = o.getCluster();
    assertThat(c.isEnabled()).isTrue();
    assertThat(c.getName()).isEqualTo("c1");
    assertThat(c.getHost()).isEqualTo("0.0.0.0");
    assertThat(c.getPort()).isEqualTo(6223);
    assertThat(c.getRoutes()).containsExactly("127.0.0.1:6222", "h2:7000", "h3:6222");
    assertThat(c.getAdvertise()).isEqualTo("10.0.0.5");
    assertThat(c.getPartitions()).isEqualTo(8);
    assertThat(c.getBusPort()).isEqualTo(7100);
    assertThat(warnings).singleElement().asString().contains("pool_size");
    assertThat(new TernOptions().getCluster().isEnabled()).isFalse();
    assertThatThrownBy(() -> apply("cluster { partitions: 0 }", new TernOptions()))
        .hasMessageContaining("partitions");
  }

  @Test
  void operationsKeysAreApplied() {
    TernOptions o = new TernOptions();
    List<String> warnings = apply("lame_duck_duration: \"45s\"\nlame_duck_grace_period: \"3s\"\nlogtime: false\n"
        + "log_file: \"/tmp/t.log\"\npid_file: \"/tmp/t.pid\"\nlogfile_size_limit: 1MB\n"
        + "http_base_path: \"/mon\"\nclient_advertise: \"h:1\"\nmappings { foo: bar }\ncluster { port: 6222 }", o);
    assertThat(o.getLameDuckDuration()).isEqualTo(Duration.ofSeconds(45));
    assertThat(o.getLameDuckGracePeriod()).isEqualTo(Duration.ofSeconds(3));
    assertThat(o.isLogtime()).isFalse();
    assertThat(o.getLogFile()).isEqualTo(Path.of("/tmp/t.log"));
    assertThat(o.getPidFile()).isEqualTo(Path.of("/tmp/t.pid"));
    assertThat(o.getLogSizeLimit()).isEqualTo(1024 * 1024);
    assertThat(o.getHttpBasePath()).isEqualTo("/mon");
    assertThat(o.getClientAdvertise()).isEqualTo("h:1");
    assertThat(o.getAccounts().account(AccountsOptions.GLOBAL).getMappings()).hasSize(1);
    assertThat(o.getCluster().isEnabled()).isTrue();
    assertThat(o.getCluster().getPort()).isEqualTo(6222);
    assertThat(warnings).isEmpty();
  }

  @Test
  void operationsKeysAreCheckedAsNatsServerDoes() {
    assertThatThrownBy(() -> apply("lame_duck_duration: \"5s\"", new TernOptions()))
        .hasMessage("<config>:1:0: invalid lame_duck_duration of 5s, minimum is 30 seconds");
    assertThatThrownBy(() -> apply("lame_duck_grace_period: \"-1s\"", new TernOptions()))
        .hasMessage("<config>:1:0: invalid lame_duck_grace_period, needs to be positive");
    assertThatThrownBy(() -> apply("mappings { foo: 1 }", new TernOptions()))
        .hasMessageContaining("Expected an entry for the mapping destination");
    assertThatThrownBy(() -> apply("tls { cert_file: \"/x\" }", new TernOptions()))
        .hasMessage("<config>:1:0: missing 'key_file' in TLS configuration");
    assertThatThrownBy(() -> apply("websocket { port: \"x\" }", new TernOptions()))
        .hasMessage("<config>:1:13: port: expected a port number, got x");
  }

  @Test
  void typeErrorsCarryThePosition() {
    assertThatThrownBy(() -> apply("debug: true\n  port: \"abc\"", new TernOptions()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("<config>:2:3: port: expected an integer, got string \"abc\"");
    assertThatThrownBy(() -> apply("max_payload: 1.5", new TernOptions()))
        .hasMessage("<config>:1:1: max_payload: expected an integer, got float 1.5");
    assertThatThrownBy(() -> apply("max_payload: 5000000000", new TernOptions()))
        .hasMessage("<config>:1:1: max_payload value is too big");
    assertThatThrownBy(() -> apply("debug: 1", new TernOptions()))
        .hasMessage("<config>:1:1: debug: expected a boolean, got integer 1");
    assertThatThrownBy(() -> apply("authorization: 5", new TernOptions()))
        .hasMessage("<config>:1:1: authorization: expected a map, got integer 5");
  }

  @Test
  void plainMapsWorkWithoutPositions() {
    TernOptions o = new TernOptions();
    List<String> warnings = ConfigLoader.apply(Map.of("port", 7L, "zzz", 1L), o);
    assertThat(o.getPort()).isEqualTo(7);
    assertThat(warnings).containsExactly("unknown field \"zzz\"");
  }

  @Test
  void loadReadsAFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("tern.conf");
    Files.writeString(f, "port: 4777\njetstream { store_dir: \"" + dir.resolve("js") + "\" }\n");
    TernOptions o = ConfigLoader.load(f);
    assertThat(o.getPort()).isEqualTo(4777);
    assertThat(o.getConfigFile()).isEqualTo(f);
    assertThat(o.getJetStream().getStoreDir()).isEqualTo(dir.resolve("js"));
  }
}
