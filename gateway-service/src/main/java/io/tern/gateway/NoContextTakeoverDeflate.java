package io.tern.gateway;

import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.util.HashMap;
import java.util.Map;

/**
 * permessage-deflate as nats-server negotiates it: always without context takeover in either
 * direction (RFC 7692 lets a server answer so whatever the offer), so no connection keeps a
 * compression window between messages, and with a cap on what one frame may inflate to.
 */
final class NoContextTakeoverDeflate implements WebSocketServerExtensionHandshaker {

  private static final String PERMESSAGE_DEFLATE = "permessage-deflate";

  private final PerMessageDeflateServerExtensionHandshaker netty;

  NoContextTakeoverDeflate(int maxInflatedFrame) {
    this.netty = new PerMessageDeflateServerExtensionHandshaker(6, ZlibCodecFactory.isSupportingWindowSizeAndMemLevel(),
        PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, true, true,
        WebSocketExtensionFilterProvider.DEFAULT, maxInflatedFrame);
  }

  @Override
  public WebSocketServerExtension handshakeExtension(WebSocketExtensionData offer) {
    if (!PERMESSAGE_DEFLATE.equals(offer.name())) {
      return null;
    }
    Map<String, String> params = new HashMap<>(offer.parameters());
    params.put("server_no_context_takeover", null);
    params.put("client_no_context_takeover", null);
    return netty.handshakeExtension(new WebSocketExtensionData(offer.name(), params));
  }
}
