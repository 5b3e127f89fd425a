package io.tern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.common.config.OperatorOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtAccountsCacheTest {
  private final TestKey operator = TestKey.operator();
  private final long now = Instant.now().getEpochSecond();

  private OperatorOptions options(OperatorOptions.ResolverType type, Path dir, int limit) {
    OperatorOptions o = new OperatorOptions().setResolverType(type).setDir(dir).setLimit(limit);
    o.getOperatorJwts().add(operator.issue(operator.pub, new JsonObject().put("type", "operator"), now));
    return o;
  }

  private String accountJwt(TestKey account) {
    return operator.issue(account.pub, new JsonObject().put("type", "account").put("version", 2), now);
  }

  @Test
  void theCacheResolverKeepsTheMostRecentlyUsedFilesUpToTheLimit(@TempDir Path dir) {
    TestKey a = TestKey.account();
    TestKey b = TestKey.account();
    TestKey c = TestKey.account();
    JwtAccounts cache = new JwtAccounts(options(OperatorOptions.ResolverType.CACHE, dir, 2));
    assertThat(cache.put(accountJwt(a), true)).isNull();
    assertThat(cache.put(accountJwt(b), true)).isNull();
    assertThat(cache.account(a.pub)).isNotNull();
    assertThat(cache.put(accountJwt(c), true)).isNull();
    assertThat(Files.exists(dir.resolve(a.pub + ".jwt"))).as("used recently").isTrue();
    assertThat(Files.exists(dir.resolve(b.pub + ".jwt"))).as("least recently used").isFalse();
    assertThat(Files.exists(dir.resolve(c.pub + ".jwt"))).isTrue();
    assertThat(cache.account(b.pub)).as("still registered until a restart").isNotNull();

    JwtAccounts restarted = new JwtAccounts(options(OperatorOptions.ResolverType.CACHE, dir, 2));
    assertThat(restarted.account(a.pub)).isNotNull();
    assertThat(restarted.account(b.pub)).isNull();
    assertThat(restarted.account(c.pub)).isNotNull();
  }

  @Test
  void theFullResolverRefusesAccountsBeyondTheLimit(@TempDir Path dir) {
    JwtAccounts full = new JwtAccounts(options(OperatorOptions.ResolverType.FULL, dir, 1));
    TestKey a = TestKey.account();
    assertThat(full.put(accountJwt(a), true)).isNull();
    assertThat(full.put(accountJwt(TestKey.account()), true)).isEqualTo("resolver limit reached");
    assertThat(full.put(accountJwt(a), true)).as("an update of a known account").isNull();
  }
}
