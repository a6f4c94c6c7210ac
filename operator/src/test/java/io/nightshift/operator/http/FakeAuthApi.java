package io.nightshift.operator.http;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The API server's side of access reviews on the mock: which token is which user, and what each user may do
 * ("get /metrics", "list maintenancejobs in team-a", "list maintenancejobs in *"). Keeps every review it was asked.
 */
final class FakeAuthApi {

    static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

    final List<TokenReview> tokenReviews = new CopyOnWriteArrayList<>();
    final List<SubjectAccessReview> accessReviews = new CopyOnWriteArrayList<>();
    private final Map<String, String> users;
    private final Map<String, Set<String>> grants;

    FakeAuthApi(Map<String, String> users, Map<String, Set<String>> grants) {
        this.users = users;
        this.grants = grants;
    }

    void serveOn(KubernetesMockServer server) {
        server.expect().post().withPath(TOKEN_REVIEWS).andReply(201, request -> {
            TokenReview review = Serialization.unmarshal(request.getUtf8Body(), TokenReview.class);
            tokenReviews.add(review);
            String user = users.get(review.getSpec().getToken());
            review.setStatus(user == null ? new TokenReviewStatusBuilder().withAuthenticated(false).withError("token not found").build()
                    : new TokenReviewStatusBuilder().withAuthenticated(true)
                            .withUser(new UserInfoBuilder().withUsername(user).withUid("uid-" + user).withGroups("system:authenticated").build())
                            .build());
            return review;
        }).always();
        server.expect().post().withPath(ACCESS_REVIEWS).andReply(201, request -> {
            SubjectAccessReview review = Serialization.unmarshal(request.getUtf8Body(), SubjectAccessReview.class);
            accessReviews.add(review);
            var spec = review.getSpec();
            String asked = spec.getNonResourceAttributes() != null
                    ? spec.getNonResourceAttributes().getVerb() + " " + spec.getNonResourceAttributes().getPath()
                    : spec.getResourceAttributes().getVerb() + " " + spec.getResourceAttributes().getResource() + " in "
                            + (spec.getResourceAttributes().getNamespace().isEmpty() ? "*" : spec.getResourceAttributes().getNamespace());
            boolean allowed = grants.getOrDefault(spec.getUser(), Set.of()).contains(asked);
            review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed).withReason(allowed ? "" : "no RBAC rule allows " + asked).build());
            return review;
        }).always();
    }
}
