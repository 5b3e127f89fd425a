package io.tern.common.config;

import java.time.Duration;

/**
 * The {@code mqtt} block: nats-server's MQTT 3.1.1 listener options. The listener runs when the
 * port is not 0 ({@code -1} picks a free port).
 */
public class MqttOptions {

  /** nats-server's default {@code ack_wait}: 30 seconds. */
  public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);
  /** nats-server's default {@code max_ack_pending}: 1024. */
  public static final int DEFAULT_MAX_ACK_PENDING = 1024;
  /** The largest {@code max_ack_pending}: packet identifiers are 16 bits. */
  public static final int MAX_ACK_PENDING_LIMIT = 65535;

  private String host;
  private int port;
  private String noAuthUser;
  private Duration ackWait = DEFAULT_ACK_WAIT;
  private int maxAckPending = DEFAULT_MAX_ACK_PENDING;
  private AuthorizationOptions authorization;

  /** Whether the MQTT listener runs. */
  public boolean isEnabled() { return port != 0; }

  /** The listener host; null means the top-level {@code host}. */
  public String getHost() { return host; }
  public MqttOptions setHost(String host) { this.host = host; return this; }

  public int getPort() { return port; }
  public MqttOptions setPort(int port) { this.port = port; return this; }

  /** The user MQTT clients without a user name are taken as, trusted without a password. */
  public String getNoAuthUser() { return noAuthUser; }
  public MqttOptions setNoAuthUser(String noAuthUser) { this.noAuthUser = noAuthUser; return this; }

  /** How long a QoS 1 message delivered to a client may stay unacknowledged before it is sent again. */
  public Duration getAckWait() { return ackWait; }
  public MqttOptions setAckWait(Duration ackWait) { this.ackWait = ackWait; return this; }

  /** How many QoS 1 messages a session may have unacknowledged at once. */
  public int getMaxAckPending() { return maxAckPending; }
  public MqttOptions setMaxAckPending(int maxAckPending) { this.maxAckPending = maxAckPending; return this; }

  /**
   * The block's own {@code authorization}, which replaces the top-level one for MQTT clients;
   * null when the top-level block applies.
   */
  public AuthorizationOptions getAuthorization() { return authorization; }
  public MqttOptions setAuthorization(AuthorizationOptions authorization) { this.authorization = authorization; return this; }
}
