package io.tern.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JetStreamDisabledResponderTest {

  private static String answer(String api) {
    var r = JetStreamDisabledResponder.response(api.split("\\.", -1));
    return r == null ? null : r.encode();
  }

  @Test
  void knownApisGetTheirTypeWithError10039AndTheirListFields() {
    assertThat(answer("INFO")).isEqualTo("{\"type\":\"io.nats.jetstream.api.v1.account_info_response\",\"error\":"
        + "{\"code\":503,\"err_code\":10039,\"description\":\"JetStream not enabled for account\"}}");
    assertThat(answer("STREAM.NAMES")).endsWith(",\"total\":0,\"offset\":0,\"limit\":0,\"streams\":null}");
    assertThat(answer("STREAM.LIST")).endsWith(",\"total\":0,\"offset\":0,\"limit\":0,\"streams\":[]}");
    assertThat(answer("CONSUMER.NAMES.S")).contains("consumer_names_response").endsWith("\"consumers\":[]}");
    assertThat(answer("STREAM.INFO.S")).contains("stream_info_response").endsWith("\"limit\":0}");
    assertThat(answer("STREAM.MSG.GET.S")).contains("stream_msg_get_response");
    assertThat(answer("CONSUMER.DURABLE.CREATE.S.D")).contains("consumer_create_response");
  }

  @Test
  void pullRequestsDirectGetsAndUnknownSubjectsGetNoAnswer() {
    assertThat(answer("CONSUMER.MSG.NEXT.S.C")).isNull();
    assertThat(answer("DIRECT.GET.S")).isNull();
    assertThat(answer("FOO")).isNull();
  }
}
