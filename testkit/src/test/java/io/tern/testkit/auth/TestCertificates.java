package io.tern.testkit.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away CA with a server certificate for 127.0.0.1 and client certificates, made with the
 * JDK's keytool in a temporary directory; PEM files for the brokers, SSLContexts for jnats.
 */
final class TestCertificates implements AutoCloseable {
  private static final String PASS = "changeit";

  final Path dir;
  final Path caPem;
  final Path serverPem;
  final Path serverKey;

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.caPem = dir.resolve("ca.pem");
    this.serverPem = dir.resolve("server.pem");
    this.serverKey = dir.resolve("server-key.pem");
  }

  static TestCertificates create() throws Exception {
    TestCertificates c = new TestCertificates(Files.createTempDirectory("tern-tls"));
    c.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Tern Test CA",
        "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", PASS);
    c.keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASS, "-rfc", "-file", "ca.pem");
    c.issue("server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
    Files.writeString(c.serverKey, pem("PRIVATE KEY", c.privateKey("server").getEncoded()));
    return c;
  }

  /** Issues {@code alias}'s key and CA-signed certificate into {@code <alias>.p12}, the cert also as PEM. */
  void issue(String alias, String dname, String san) throws Exception {
    String store = alias + ".p12";
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
        "-validity", "2", "-keystore", store, "-storetype", "PKCS12", "-storepass", PASS);
    keytool("-certreq", "-alias", alias, "-keystore", store, "-storepass", PASS, "-file", alias + ".csr");
    keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASS, "-infile", alias + ".csr",
        "-outfile", alias + ".pem", "-rfc", "-validity", "2", "-ext", san);
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", store, "-storepass", PASS);
    keytool("-importcert", "-alias", alias, "-file", alias + ".pem", "-keystore", store, "-storepass", PASS);
  }

  private PrivateKey privateKey(String alias) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(alias + ".p12"))) {
      ks.load(in, PASS.toCharArray());
    }
    return (PrivateKey) ks.getKey(alias, PASS.toCharArray());
  }

  /** A client context trusting the test CA, presenting {@code alias}'s certificate (null: none). */
  SSLContext clientContext(String alias) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    Certificate ca = CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caPem)));
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (alias != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(dir.resolve(alias + ".p12"))) {
        keys.load(in, PASS.toCharArray());
      }
      keys.deleteEntry("ca");
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASS.toCharArray());
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /** The {@code tls} block for these files, with extra settings. */
  String tlsBlock(String extra) {
    return "tls { cert_file: \"" + serverPem + "\", key_file: \"" + serverKey + "\", ca_file: \"" + caPem + "\""
        + (extra.isEmpty() ? "" : ", " + extra) + " }\n";
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + ": " + new String(out));
    }
  }

  @Override
  public void close() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }
}
