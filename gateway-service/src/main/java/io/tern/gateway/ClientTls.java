package io.tern.gateway;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.tern.common.config.TlsOptions;
import java.io.File;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.security.auth.x500.X500Principal;

/**
 * TLS for client connections as nats-server does it: INFO goes out in plain text with
 * {@code tls_required}, then the connection upgrades; a client that does not start a handshake is
 * dropped without a message. With {@code verify_and_map} the client certificate's names are
 * offered to the auth service as user names. One per gateway instance (the context is shareable).
 */
final class ClientTls {
  private final SslContext context;
  private final long timeoutMillis;

  private ClientTls(SslContext context, long timeoutMillis) {
    this.context = context;
    this.timeoutMillis = timeoutMillis;
  }

  static ClientTls create(TlsOptions tls) {
    try {
      SslContextBuilder b = SslContextBuilder.forServer(new File(tls.getCertFile()), new File(tls.getKeyFile()));
      if (tls.getCaFile() != null) {
        b.trustManager(new File(tls.getCaFile()));
      }
      b.clientAuth(tls.isVerify() ? ClientAuth.REQUIRE : ClientAuth.NONE);
      return new ClientTls(b.build(), Math.max(1, tls.getTimeout().toMillis()));
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("TLS configuration: " + e.getMessage(), e);
    }
  }

  SslHandler newHandler(ByteBufAllocator alloc) {
    SslHandler h = context.newHandler(alloc);
    h.setHandshakeTimeoutMillis(timeoutMillis);
    return h;
  }

  /**
   * The names a client certificate may map to, in the order tried: the subject DN (RFC 2253),
   * then the email addresses, DNS names and URIs among its subject alternative names.
   */
  static List<String> names(List<Certificate> chain) {
    List<String> names = new ArrayList<>();
    if (chain.isEmpty() || !(chain.get(0) instanceof X509Certificate cert)) {
      return names;
    }
    names.add(cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
    try {
      if (cert.getSubjectAlternativeNames() != null) {
        for (List<?> san : cert.getSubjectAlternativeNames()) {
          int type = (Integer) san.get(0);
          if (type == 1 || type == 2 || type == 6) {
            names.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException ignored) {
      // only the subject then
    }
    return names;
  }
}
