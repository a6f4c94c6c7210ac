package io.nightshift.operator.http;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key and certificate of a mounted Secret, read again when the files change (the kubelet swaps a Secret
 * volume's files when cert-manager renews the certificate), so a renewal needs no restart. Checks at most every
 * {@link #CHECK_EVERY}; files that cannot be read keep the previous certificate in service.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

    static final Duration CHECK_EVERY = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyManager.class);

    private record Current(ServerTls.Loaded loaded, byte[] files) {
    }

    private final Path directory;
    private final Clock clock;
    private final X509Certificate initialCertificate;
    private volatile Current current;
    private volatile Instant nextCheck;

    ReloadingKeyManager(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
        byte[] files = files();
        this.current = new Current(ServerTls.read(directory), files);
        this.initialCertificate = current.loaded().certificate();
        this.nextCheck = clock.instant().plus(CHECK_EVERY);
    }

    X509Certificate initialCertificate() {
        return initialCertificate;
    }

    private byte[] files() {
        try {
            byte[] cert = Files.readAllBytes(directory.resolve(ServerTls.CERTIFICATE_FILE));
            byte[] key = Files.readAllBytes(directory.resolve(ServerTls.KEY_FILE));
            byte[] both = Arrays.copyOf(cert, cert.length + key.length);
            System.arraycopy(key, 0, both, cert.length, key.length);
            return both;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + directory.resolve(ServerTls.CERTIFICATE_FILE) + " and "
                    + ServerTls.KEY_FILE + ": " + e.getMessage(), e);
        }
    }

    private X509ExtendedKeyManager manager() {
        Instant now = clock.instant();
        if (now.isAfter(nextCheck)) {
            synchronized (this) {
                if (now.isAfter(nextCheck)) {
                    nextCheck = now.plus(CHECK_EVERY);
                    reloadIfChanged();
                }
            }
        }
        return current.loaded().keyManager();
    }

    private void reloadIfChanged() {
        try {
            byte[] files = files();
            if (!Arrays.equals(files, current.files())) {
                current = new Current(ServerTls.read(directory), files);
                LOG.info("serving the renewed certificate {} (valid until {})", current.loaded().certificate().getSubjectX500Principal(),
                        current.loaded().certificate().getNotAfter().toInstant());
            }
        } catch (RuntimeException e) {
            LOG.warn("keeping the current certificate: {}", e.getMessage());
        }
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return manager().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return manager().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return manager().getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return current.loaded().keyManager().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return current.loaded().keyManager().getPrivateKey(alias);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
