package io.tern.testkit.auth;

/** Operator-mode setups for tests outside this package (which keeps its minting helpers to itself). */
public final class OperatorSetups {
  private OperatorSetups() {
  }

  /** An operator-mode config (memory resolver) and a bearer user JWT of one of its accounts. */
  public record WithBearerUser(String config, String userJwt) {}

  public static WithBearerUser withBearerUser() {
    try {
      OperatorFixture op = new OperatorFixture();
      JwtMinter.UserCreds user = op.user(op.a, op.a, c -> c.getJsonObject("nats").put("bearer_token", true));
      return new WithBearerUser(op.memoryConfig(), user.jwt());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
