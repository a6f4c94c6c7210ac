package io.nightshift.operator.http;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewSpecBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Who sends a bearer token (TokenReview) and whether they may do a thing (SubjectAccessReview), as the API server
 * answers; both answers are kept for a few seconds, so a Prometheus scraping every few seconds costs one review of
 * each per TTL. Tokens are kept only as SHA-256 digests. An API server that cannot answer is an exception (the
 * caller answers 503), never a decision, and is not cached.
 */
public final class AccessReviewer {

    public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);
    static final Duration REVIEW_TIMEOUT = Duration.ofSeconds(5);

    public enum Verdict { ALLOWED, UNAUTHENTICATED, FORBIDDEN }

    /** The outcome, with the user's name (when authenticated) and the reason to tell them. */
    public record Decision(Verdict verdict, String user, String reason) {
    }

    private record Identity(boolean authenticated, UserInfo user, String error) {
    }

    private record AccessKey(UserInfo user, Permission permission) {
    }

    private record Access(boolean allowed, String reason) {
    }

    private final KubernetesClient client;
    private final ExpiringCache<String, Identity> identities;
    private final ExpiringCache<AccessKey, Access> accesses;

    /**
     * A client for reviews that fails at once rather than retrying for tens of seconds: a scrape waiting on an API
     * server that does not answer should end with 503 well within Prometheus' scrape timeout.
     */
    public static KubernetesClient failFastClient(KubernetesClient client) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0)
                .withRequestTimeout((int) REVIEW_TIMEOUT.toMillis()).build()).build();
    }

    public AccessReviewer(KubernetesClient client, Clock clock, Duration ttl) {
        this.client = client;
        this.identities = new ExpiringCache<>(clock, ttl);
        this.accesses = new ExpiringCache<>(clock, ttl);
    }

    public Decision review(String token, Permission permission) {
        Identity identity = identities.get(digest(token), () -> authenticate(token));
        if (!identity.authenticated()) {
            return new Decision(Verdict.UNAUTHENTICATED, null, identity.error());
        }
        String user = identity.user().getUsername();
        Access access = accesses.get(new AccessKey(identity.user(), permission), () -> authorize(identity.user(), permission));
        if (access.allowed()) {
            return new Decision(Verdict.ALLOWED, user, null);
        }
        return new Decision(Verdict.FORBIDDEN, user, "user " + user + " may not " + permission.describe()
                + (access.reason() == null || access.reason().isBlank() ? "" : ": " + access.reason()));
    }

    private Identity authenticate(String token) {
        TokenReview review = client.authentication().v1().tokenReviews()
                .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
        var status = review.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null) {
            String error = status == null || status.getError() == null || status.getError().isBlank() ? "the token is not valid" : status.getError();
            return new Identity(false, null, error);
        }
        return new Identity(true, status.getUser(), null);
    }

    private Access authorize(UserInfo user, Permission permission) {
        var spec = new SubjectAccessReviewSpecBuilder().withUser(user.getUsername()).withUid(user.getUid()).withGroups(user.getGroups())
                .withExtra(user.getExtra());
        if (permission.isNonResource()) {
            spec.withNonResourceAttributes(new NonResourceAttributesBuilder().withVerb(permission.verb()).withPath(permission.path()).build());
        } else {
            spec.withResourceAttributes(new ResourceAttributesBuilder().withVerb(permission.verb()).withGroup(permission.group())
                    .withResource(permission.resource()).withNamespace(permission.namespace() == null ? "" : permission.namespace())
                    .withName(permission.name()).build());
        }
        SubjectAccessReview review = client.authorization().v1().subjectAccessReview()
                .create(new SubjectAccessReviewBuilder().withSpec(spec.build()).build());
        var status = review.getStatus();
        boolean allowed = status != null && Boolean.TRUE.equals(status.getAllowed()) && !Boolean.TRUE.equals(status.getDenied());
        return new Access(allowed, status == null ? null : status.getReason());
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
