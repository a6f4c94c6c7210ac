package io.nightshift.operator.http;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** What a secure server needs: its TLS key and certificate, and whom to ask who may read what. */
public record HttpSecurity(ServerTls tls, AccessReviewer reviewer) {

    /** The certificate from {@code certDirectory} ({@code tls.crt}, {@code tls.key}), or a self-signed one when it is null. */
    public static HttpSecurity create(KubernetesClient client, Path certDirectory, Clock clock, Duration reviewTtl) {
        ServerTls tls = certDirectory == null ? ServerTls.selfSigned(clock, ServerTls.localHostNames()) : ServerTls.fromDirectory(certDirectory, clock);
        return new HttpSecurity(tls, new AccessReviewer(AccessReviewer.failFastClient(client), clock, reviewTtl));
    }
}
