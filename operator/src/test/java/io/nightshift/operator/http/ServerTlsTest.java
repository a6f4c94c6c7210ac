package io.nightshift.operator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's certificate: made at start, or read from a mounted Secret in cert-manager's layout. */
class ServerTlsTest {

    @TempDir
    Path dir;

    @Test
    void theSelfSignedCertificateNamesLocalhostAndThePodAndServesOnlyServers() throws Exception {
        Clock clock = Clock.systemUTC();
        X509Certificate certificate = ServerTls.selfSigned(clock, List.of("nightshift-7d9f-abcde")).certificate();

        assertThat(certificate.getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .containsExactlyInAnyOrder((Object) "localhost", "127.0.0.1", "nightshift-7d9f-abcde");
        assertThat(certificate.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(certificate.getNotAfter().toInstant()).isAfter(clock.instant().plus(Duration.ofDays(364)));
        certificate.verify(certificate.getPublicKey());
    }

    /** A certificate for 127.0.0.1 written as cert-manager writes a Secret: an RSA key in PKCS#1 ("BEGIN RSA PRIVATE KEY"). */
    private X509Certificate writeCertManagerSecret() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=nightshift-metrics.nightshift-system.svc");
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()), Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plus(Duration.ofDays(90))), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        Files.writeString(dir.resolve("tls.crt"), pem(certificate));
        Files.writeString(dir.resolve("tls.key"), pem(keys));
        return certificate;
    }

    private static int healthz(OperatorHttpServer http, X509Certificate trusted) throws Exception {
        HttpClient client = SecureHttpServerTest.trusting(trusted);
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + http.port() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aCertManagerSecretWithAnRsaPkcs1KeyIsServedAndItsRenewalWithoutARestart() throws Exception {
        X509Certificate first = writeCertManagerSecret();
        AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };

        ServerTls tls = ServerTls.fromDirectory(dir, clock);
        assertThat(tls.certificate()).isEqualTo(first);
        try (OperatorHttpServer http = new OperatorHttpServer(new InetSocketAddress("127.0.0.1", 0), new HttpSecurity(tls, null),
                () -> "", () -> true, java.util.List::of)) {
            assertThat(healthz(http, first)).isEqualTo(200);

            X509Certificate renewed = writeCertManagerSecret();
            assertThatThrownBy(() -> healthz(http, renewed)).as("checked again only after a while").isInstanceOf(IOException.class);
            now.set(now.get().plus(ReloadingKeyManager.CHECK_EVERY).plusSeconds(1));
            assertThat(healthz(http, renewed)).isEqualTo(200);

            Files.writeString(dir.resolve("tls.key"), "half-written");
            now.set(now.get().plus(ReloadingKeyManager.CHECK_EVERY).plusSeconds(1));
            assertThat(healthz(http, renewed)).as("a broken renewal keeps the certificate in service").isEqualTo(200);
        }
    }

    @Test
    void aMissingOrWrongFileIsNamed() throws Exception {
        assertThatThrownBy(() -> ServerTls.fromDirectory(dir, Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tls.crt");
        Files.writeString(dir.resolve("tls.crt"), pem(ServerTls.selfSigned(Clock.systemUTC(), List.of()).certificate()));
        Files.writeString(dir.resolve("tls.key"), "not a key");
        assertThatThrownBy(() -> ServerTls.fromDirectory(dir, Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tls.key");
    }

    private static String pem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
