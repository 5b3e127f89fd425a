package io.tern.stream;

import io.tern.common.config.AccountJetStreamOptions;
import io.vertx.core.json.JsonObject;

/**
 * Reads an account's JetStream limits from the account configuration the auth service publishes
 * on {@code tern.accounts} (its {@code jetstream} object, present only when JetStream is on).
 */
final class RoutedJetStream {
  private RoutedJetStream() {
  }

  /** The account's limits (-1 unlimited), or null when its configuration does not enable JetStream. */
  static AccountJetStreamOptions limits(JsonObject account) {
    JsonObject js = account.getJsonObject("jetstream");
    if (js == null) {
      return null;
    }
    return new AccountJetStreamOptions(js.getLong("max_memory", -1L), js.getLong("max_storage", -1L),
        js.getLong("max_streams", -1L), js.getLong("max_consumers", -1L));
  }
}
