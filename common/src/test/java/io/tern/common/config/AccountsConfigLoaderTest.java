package io.tern.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AccountsConfigLoaderTest {

  private static TernOptions load(String text) {
    TernOptions options = new TernOptions();
    List<String> warnings = ConfigLoader.apply(ConfigParser.parse(text, null), options);
    assertThat(warnings).isEmpty();
    return options;
  }

  @Test
  void usersPermissionsAndAccounts() {
    TernOptions o = load("""
        authorization {
          users [{user: a, password: "$2a$04$abcdefghijklmnopqrstuu", permissions: {
            publish: {allow: ["x.>"], deny: "x.y"}, subscribe: ["in.> q"], allow_responses: {max: 3, expires: "5s"}}}]
          default_permissions { publish: "d" }
        }
        no_auth_user: a
        accounts {
          A { users [{nkey: UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4}],
              exports [{service: "svc", accounts: [B], response_type: stream}],
              limits { max_connections: 3, max_subscriptions: 4, max_payload: 5 } }
          B { imports [{service: {account: A, subject: "svc"}, to: "s"}], mappings { "m": "n" } }
        }
        """);
    AccountsOptions acc = o.getAccounts();
    UserOptions a = acc.getUsers().get(0);
    assertThat(a.getPermissions().getPublishAllow()).containsExactly("x.>");
    assertThat(a.getPermissions().getPublishDeny()).containsExactly("x.y");
    assertThat(a.getPermissions().getSubscribeAllow()).containsExactly("in.> q");
    assertThat(a.getPermissions().getResponseMax()).isEqualTo(3);
    assertThat(acc.getDefaultPermissions().getPublishAllow()).containsExactly("d");
    assertThat(acc.getNoAuthUser()).isEqualTo("a");
    assertThat(acc.getAccounts()).containsKeys("$G", "A", "B");
    assertThat(acc.getAccounts().get("A").getMaxConnections()).isEqualTo(3);
    assertThat(acc.getAccounts().get("A").getExports().get(0).responseType()).isEqualTo("stream");
    assertThat(acc.getAccounts().get("B").getImports().get(0).localSubject()).isEqualTo("s");
    assertThat(acc.getAccounts().get("B").getMappings().get(0).destinations().get(0).subject()).isEqualTo("n");
    assertThat(o.getAuthorization().isRequired()).isTrue();
    assertThat(o.getAuthorization().isNonceRequired()).isTrue();
  }

  @Test
  void allowResponsesWithoutPublishAllowListOnlyAllowsResponses() {
    TernOptions o = load("authorization { users [{user: s, password: s, permissions: {allow_responses: true}}] }");
    PermissionsOptions p = o.getAccounts().getUsers().get(0).getPermissions();
    assertThat(p.getPublishAllow()).isNull();
    assertThat(p.effective().getPublishAllow()).isEmpty();
    assertThat(p.effective().getResponseMax()).isEqualTo(1);
  }

  @Test
  void importsMustBeExportedAndAcyclic() {
    assertThatThrownBy(() -> load("accounts { A {}, B { imports [{stream: {account: A, subject: x}}] } }"))
        .hasMessageContaining("stream import not authorized");
    assertThatThrownBy(() -> load("accounts { A { exports [{stream: x, accounts: [C]}] }, "
        + "B { imports [{stream: {account: A, subject: x}}] }, C {} }"))
        .hasMessageContaining("stream import not authorized");
    assertThatThrownBy(() -> load("accounts { B { imports [{stream: {account: Z, subject: x}}] } }"))
        .hasMessageContaining("not found");
    assertThatThrownBy(() -> load("accounts { A { exports [{service: q}], imports [{service: {account: B, "
        + "subject: q}}] }, B { exports [{service: q}], imports [{service: {account: A, subject: q}}] } }"))
        .hasMessageContaining("Error adding service import \"q\": import forms a cycle");
    // Different subjects do not make a cycle.
    load("accounts { A { exports [{stream: \"s.>\"}], imports [{stream: {account: B, subject: \"t.>\"}}] }, "
        + "B { exports [{stream: \"t.>\"}], imports [{stream: {account: A, subject: \"s.>\"}}] } }");
  }

  @Test
  void noAuthUserMustExistAndUsersMustBeUnique() {
    assertThatThrownBy(() -> load("no_auth_user: ghost\nauthorization { users [{user: a, password: b}] }"))
        .hasMessageContaining("no_auth_user: \"ghost\" not present");
    assertThatThrownBy(() -> load("authorization { users [{user: a, password: b}, {user: a, password: c}] }"))
        .hasMessageContaining("Duplicate user");
  }

  @Test
  void mappingWeightsOver100AndBadTemplatesAreErrors() {
    assertThatThrownBy(() -> load("mappings { a: [{destination: b, weight: 60%}, {destination: c, weight: 50%}] }"))
        .hasMessageContaining("over 100%");
    assertThatThrownBy(() -> load("mappings { \"a.*\": \"b.$2\" }")).hasMessageContaining("invalid mapping");
  }

  @Test
  void tlsBlock() {
    TernOptions o = load("tls { cert_file: c.pem, key_file: k.pem, ca_file: ca.pem, verify_and_map: true, timeout: 3 }");
    assertThat(o.getTls().getCertFile()).isEqualTo("c.pem");
    assertThat(o.getTls().isVerify()).isTrue();
    assertThat(o.getTls().isVerifyAndMap()).isTrue();
    assertThat(o.getTls().getTimeout()).hasSeconds(3);
    assertThatThrownBy(() -> load("tls { cert_file: c.pem }")).hasMessageContaining("missing 'key_file' in TLS configuration");
    assertThatThrownBy(() -> load("tls { cert_file: c.pem, key_file: k.pem, verify: true }"))
        .hasMessageContaining("ca_file");
  }

  @Test
  void serviceExportsTakeAResponseThresholdAsNatsServerDoes() {
    TernOptions o = load("accounts { A { exports [{service: \"s\", response_type: chunked, response_threshold: \"1.5s\"},"
        + " {service: \"t\"}] } }");
    List<ExportOptions> exports = o.getAccounts().getAccounts().get("A").getExports();
    assertThat(exports.get(0).responseType()).isEqualTo("chunked");
    assertThat(exports.get(0).responseThreshold()).isEqualTo(java.time.Duration.ofMillis(1500));
    assertThat(exports.get(1).responseType()).isEqualTo("singleton");
    assertThat(exports.get(1).responseThreshold()).isNull();
    assertThatThrownBy(() -> load("accounts { A { exports [{service: \"s\", response_threshold: \"abc\"}] } }"))
        .hasMessageContaining("Expected response threshold to be a parseable time duration, got \"abc\"");
    assertThatThrownBy(() -> load("accounts { A { exports [{service: \"s\", response_threshold: 5}] } }"))
        .hasMessageContaining("Expected response threshold to be a parseable time duration, got int64");
    assertThatThrownBy(() -> load("accounts { A { exports [{stream: \"s\", response_type: stream}] } }"))
        .hasMessageContaining("Detected response directive on non-service");
  }
}
