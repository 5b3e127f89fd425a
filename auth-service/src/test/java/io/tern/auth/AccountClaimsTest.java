package io.tern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.common.config.AccountOptions;
import io.tern.common.config.AccountsOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountClaimsTest {
  private final TestKey operator = TestKey.operator();
  private final TestKey account = TestKey.account();

  private AccountClaims claims(JsonObject limits) {
    JsonObject nats = new JsonObject().put("type", "account").put("version", 2).put("limits", limits);
    return new AccountClaims(Jwt.decode(operator.issue(account.pub, nats, Instant.now().getEpochSecond())));
  }

  @Test
  void jetStreamLimitsOfTheAccountJwtReachTheAccountOptions() {
    AccountClaims c = claims(new JsonObject().put("mem_storage", 1024).put("disk_storage", -1).put("streams", 3)
        .put("consumer", 7).put("data", 4096));
    AccountOptions a = c.toAccountOptions(Map.of());
    assertThat(a.getJetStream()).isNotNull();
    assertThat(a.getJetStream().getMaxMemory()).isEqualTo(1024);
    assertThat(a.getJetStream().getMaxStore()).isEqualTo(-1);
    assertThat(a.getJetStream().getMaxStreams()).isEqualTo(3);
    assertThat(a.getJetStream().getMaxConsumers()).isEqualTo(7);
    assertThat(c.maxData).isEqualTo(4096);

    AccountsOptions accounts = new AccountsOptions();
    accounts.getAccounts().put(a.getName(), a);
    JsonObject routed = RouterConfig.build(accounts, "s", 1).getJsonArray("accounts").stream()
        .map(JsonObject.class::cast).filter(j -> j.getString("name").equals(account.pub)).findFirst().orElseThrow();
    assertThat(routed.getJsonObject("jetstream")).isEqualTo(new JsonObject().put("max_memory", 1024L)
        .put("max_storage", -1L).put("max_streams", 3L).put("max_consumers", 7L));
  }

  @Test
  void noStorageLimitsMeansNoJetStreamAsInNatsServer() {
    assertThat(claims(new JsonObject().put("streams", 3)).toAccountOptions(Map.of()).getJetStream()).isNull();
    assertThat(claims(new JsonObject().put("mem_storage", 0).put("disk_storage", 0)).jetStream).isNull();
    assertThat(claims(new JsonObject().put("disk_storage", 10)).jetStream.getMaxStreams()).isEqualTo(-1);
  }
}
