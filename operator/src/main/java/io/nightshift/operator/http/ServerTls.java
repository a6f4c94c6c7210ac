package io.nightshift.operator.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The HTTPS server's key and certificate: {@code tls.crt} and {@code tls.key} from a mounted Secret (cert-manager's
 * layout; PKCS#1, PKCS#8 or EC keys; read again when renewed), or, when none is mounted, a self-signed certificate made at start, as
 * operator scaffolding does. Clients of a self-signed endpoint skip verification or pin {@link #certificate()}.
 */
public record ServerTls(SSLContext context, X509Certificate certificate) {

    public static final String CERTIFICATE_FILE = "tls.crt";
    public static final String KEY_FILE = "tls.key";
    static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(365);

    /**
     * Reads {@code tls.crt} (the certificate, then its chain) and {@code tls.key} from {@code directory}, and reads them
     * again when they change (a renewed certificate in a mounted Secret), checking at most every 30 seconds.
     */
    public static ServerTls fromDirectory(Path directory, Clock clock) {
        ReloadingKeyManager keys = new ReloadingKeyManager(directory, clock);
        return new ServerTls(context(keys), keys.initialCertificate());
    }

    /** The key and certificate chain in {@code directory}, read once. */
    static Loaded read(Path directory) {
        Path certFile = directory.resolve(CERTIFICATE_FILE);
        Path keyFile = directory.resolve(KEY_FILE);
        List<X509Certificate> chain = new ArrayList<>();
        try (InputStream in = Files.newInputStream(certFile)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the certificate " + certFile + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(certFile + " holds no PEM certificate");
        }
        return new Loaded(keyManager(readKey(keyFile), chain.toArray(X509Certificate[]::new)), chain.get(0));
    }

    record Loaded(X509ExtendedKeyManager keyManager, X509Certificate certificate) {
    }

    /** A new EC P-256 key and a certificate for it, signed by itself, for localhost, 127.0.0.1 and {@code hostNames}. */
    public static ServerTls selfSigned(Clock clock, List<String> hostNames) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=nightshift-operator");
            Instant now = clock.instant();
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(SELF_SIGNED_VALIDITY)), subject, keys.getPublic());
            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(GeneralName.dNSName, "localhost"));
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            hostNames.stream().filter(n -> !n.isBlank() && !n.equals("localhost")).distinct()
                    .forEach(n -> names.add(new GeneralName(isIpAddress(n) ? GeneralName.iPAddress : GeneralName.dNSName, n)));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new ServerTls(context(keyManager(keys.getPrivate(), new X509Certificate[] {certificate})), certificate);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static boolean isIpAddress(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static PrivateKey readKey(Path keyFile) {
        try (Reader reader = Files.newBufferedReader(keyFile); PEMParser pem = new PEMParser(reader)) {
            Object object = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalArgumentException(keyFile + " holds no unencrypted PEM private key (PKCS#1, PKCS#8 or EC)");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the private key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static X509ExtendedKeyManager keyManager(PrivateKey key, X509Certificate[] chain) {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password, chain);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(store, password);
            return (X509ExtendedKeyManager) keyManagers.getKeyManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot serve TLS with this certificate and key: " + e.getMessage(), e);
        }
    }

    private static SSLContext context(X509ExtendedKeyManager keyManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** This host's name, for the self-signed certificate (a pod's hostname is its name). */
    static List<String> localHostNames() {
        List<String> names = new ArrayList<>();
        String hostname = System.getenv("HOSTNAME");
        if (hostname != null) {
            names.add(hostname);
        }
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // no resolvable host name: localhost and 127.0.0.1 only
        }
        return names;
    }
}
