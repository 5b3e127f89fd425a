package io.tern.gateway;

/**
 * Where a gateway reports its clients' comings and goings for the system account's
 * {@code $SYS.ACCOUNT.<acc>.CONNECT|DISCONNECT} events. Called on the connection's event loop.
 */
interface SystemEvents {
  void connected(ClientConnection c);

  void disconnected(ClientConnection c);
}
