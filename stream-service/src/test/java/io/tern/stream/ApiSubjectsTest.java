package io.tern.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiSubjectsTest {

  @Test
  void requestsAboutOneStreamNameIt() {
    assertThat(ApiSubjects.stream("$JS.API.STREAM.INFO.ORDERS")).isEqualTo("ORDERS");
    assertThat(ApiSubjects.stream("$JS.API.STREAM.MSG.GET.ORDERS")).isEqualTo("ORDERS");
    assertThat(ApiSubjects.stream("$JS.API.DIRECT.GET.KV_b.$KV.b.key")).isEqualTo("KV_b");
    assertThat(ApiSubjects.stream("$JS.API.CONSUMER.CREATE.ORDERS.c.orders.>")).isEqualTo("ORDERS");
    assertThat(ApiSubjects.stream("$JS.API.CONSUMER.DURABLE.CREATE.ORDERS.d")).isEqualTo("ORDERS");
    assertThat(ApiSubjects.stream("$JS.API.CONSUMER.MSG.NEXT.ORDERS.d")).isEqualTo("ORDERS");
    assertThat(ApiSubjects.stream("$JS.API.CONSUMER.NAMES.ORDERS")).isEqualTo("ORDERS");
    assertThat(ApiSubjects.kind("$JS.API.CONSUMER.INFO.ORDERS.d")).isEqualTo(ApiSubjects.Kind.STREAM);
  }

  @Test
  void createsListsAndTheRestAreTold() {
    assertThat(ApiSubjects.kind("$JS.API.STREAM.CREATE.ORDERS")).isEqualTo(ApiSubjects.Kind.CREATE);
    assertThat(ApiSubjects.kind("$JS.API.STREAM.RESTORE.ORDERS")).isEqualTo(ApiSubjects.Kind.CREATE);
    assertThat(ApiSubjects.kind("$JS.API.STREAM.NAMES")).isEqualTo(ApiSubjects.Kind.GATHER);
    assertThat(ApiSubjects.kind("$JS.API.STREAM.LIST")).isEqualTo(ApiSubjects.Kind.GATHER);
    assertThat(ApiSubjects.kind("$JS.API.INFO")).isEqualTo(ApiSubjects.Kind.GATHER);
    assertThat(ApiSubjects.kind("$JS.API.STREAM.LEADER.STEPDOWN.ORDERS")).isEqualTo(ApiSubjects.Kind.LOCAL);
    assertThat(ApiSubjects.kind("$JS.API.NOPE")).isEqualTo(ApiSubjects.Kind.LOCAL);
    assertThat(ApiSubjects.kind("$JS.API.CONSUMER.MSG.NEXT")).isEqualTo(ApiSubjects.Kind.LOCAL);
  }
}
