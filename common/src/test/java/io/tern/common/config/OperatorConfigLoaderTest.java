package io.tern.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorConfigLoaderTest {
  private static final String SYS = "ADHJSXDV2BEGYGRP4IBQTGFDMFKEMACNMMKK3SXCWM4B3DIJ4AAHHVBU";

  /** An unsigned operator-shaped JWT: the loader reads claims, the auth service checks signatures. */
  private static String operatorJwt() {
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    String claims = new JsonObject().put("iss", "O").put("sub", "O")
        .put("nats", new JsonObject().put("type", "operator").put("system_account", SYS)).encode();
    return b.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
  }

  private static TernOptions load(String text) {
    TernOptions options = new TernOptions();
    List<String> warnings = ConfigLoader.apply(ConfigParser.parse(text, null), options);
    assertThat(warnings).isEmpty();
    return options;
  }

  @Test
  void memoryResolverWithPreloadTurnsOnAuthAndTakesTheOperatorsSystemAccount() {
    TernOptions o = load("operator: " + operatorJwt() + "\nresolver: MEMORY\nresolver_preload {\n  " + SYS + ": "
        + operatorJwt() + "\n}\n");
    OperatorOptions op = o.getOperator();
    assertThat(op.isEnabled()).isTrue();
    assertThat(op.getResolverType()).isEqualTo(OperatorOptions.ResolverType.MEMORY);
    assertThat(op.getPreload()).containsOnlyKeys(SYS);
    assertThat(o.getAccounts().getSystemAccount()).isEqualTo(SYS);
    assertThat(o.getAuthorization().isRequired()).isTrue();
    assertThat(o.getAuthorization().isNonceRequired()).isTrue();
  }

  @Test
  void fullResolverBlockAndOperatorFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("op.jwt");
    Files.writeString(file, "-----BEGIN NATS OPERATOR JWT-----\n" + operatorJwt() + "\n------END NATS OPERATOR JWT------\n");
    TernOptions o = load("operator: \"" + file + "\"\nsystem_account: AOTHER\nresolver {\n type: full\n dir: \""
        + dir.resolve("jwt") + "\"\n allow_delete: true\n interval: \"1s\"\n limit: 10\n}\n");
    OperatorOptions op = o.getOperator();
    assertThat(op.getOperatorJwts()).containsExactly(operatorJwt());
    assertThat(op.getResolverType()).isEqualTo(OperatorOptions.ResolverType.FULL);
    assertThat(op.getDir()).isEqualTo(dir.resolve("jwt"));
    assertThat(op.isAllowDelete()).isTrue();
    assertThat(op.getLimit()).isEqualTo(10);
    assertThat(op.getInterval()).hasSeconds(1);
    assertThat(o.getAccounts().getSystemAccount()).isEqualTo("AOTHER");
  }

  @Test
  void oneLineResolverBlock() {
    TernOptions o = load("operator: " + operatorJwt() + "\nresolver { type: full, dir: \"/tmp/x/store\", allow_delete: true }\n");
    assertThat(o.getOperator().getResolverType()).isEqualTo(OperatorOptions.ResolverType.FULL);
    assertThat(o.getAuthorization().isRequired()).isTrue();
  }

  @Test
  void nats_serversErrors() {
    assertThatThrownBy(() -> load("operator: eyJbad\n")).hasMessageContaining("error parsing operator JWT: expected 3 chunks");
    assertThatThrownBy(() -> load("resolver { type: full }\n"))
        .hasMessageContaining("dir has no value and needs to point to a directory");
    assertThatThrownBy(() -> load("resolver { type: bogus, dir: /tmp/x }\n"))
        .hasMessageContaining("error parsing account resolver, should be MEM or  URL(\"url\")");
    assertThatThrownBy(() -> load("resolver_preload { A: eyJbad }\n")).hasMessageContaining("invalid account JWT");
  }
}
