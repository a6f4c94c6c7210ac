package io.nightshift.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The operator's permissions: exactly what its code uses (see {@code nightshift.operatorRules}), cluster-wide or
 * per watched namespace, a Lease only with leader election, and never Secrets.
 */
class OperatorRbacTest {

    /** "group/resource" → verbs, as the operator's code needs them. */
    private static final Map<String, Set<String>> OPERATOR_NEEDS = Map.of(
            "nightshift.io/maintenancejobs", Set.of("get", "list", "watch"),
            "nightshift.io/maintenancejobs/status", Set.of("get", "patch"),
            "batch/cronjobs", Set.of("get", "list", "watch", "create", "update"),
            "batch/cronjobs/finalizers", Set.of("update"),
            "batch/jobs", Set.of("get", "list", "watch", "create"),
            "/pods", Set.of("get", "list", "watch"),
            "/events", Set.of("create"));

    private static Map<String, Set<String>> grants(List<PolicyRule> rules) {
        Map<String, Set<String>> grants = new TreeMap<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    grants.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).addAll(rule.getVerbs());
                }
            }
        }
        return grants;
    }

    private static <T> T as(JsonNode node, Class<T> type) {
        return Serialization.jsonMapper().convertValue(node, type);
    }

    private static List<PolicyRule> rulesOf(JsonNode role) {
        return as(role, Role.class).getRules();
    }

    @Test
    void watchingAllNamespacesGrantsTheOperatorsNeedsClusterWide() {
        RenderedChart chart = NightshiftChart.render();

        JsonNode role = chart.named("ClusterRole", NightshiftChart.RELEASE);
        assertThat(grants(rulesOf(role))).isEqualTo(OPERATOR_NEEDS);
        RoleBinding binding = as(chart.named("ClusterRoleBinding", NightshiftChart.RELEASE), RoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getRoleRef().getName()).isEqualTo(NightshiftChart.RELEASE);
        assertThat(binding.getSubjects()).singleElement().satisfies(this::isTheOperatorsServiceAccount);
        assertThat(chart.ofKind("Role")).isEmpty();
    }

    @Test
    void watchingSomeNamespacesGrantsTheSameInEachOfThemOnly() {
        RenderedChart chart = NightshiftChart.render("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b");

        assertThat(chart.ofKind("ClusterRoleBinding")).extracting(b -> b.at("/metadata/name").asText())
                .as("only the access reviews of secure mode, which are cluster-scoped").containsExactly(NightshiftChart.RELEASE + "-metrics-auth");
        assertThat(chart.ofKind("ClusterRole")).noneMatch(r -> r.at("/metadata/name").asText().equals(NightshiftChart.RELEASE));
        List<JsonNode> roles = chart.ofKind("Role");
        assertThat(roles).extracting(r -> r.at("/metadata/namespace").asText()).containsExactlyInAnyOrder("team-a", "team-b");
        roles.forEach(role -> assertThat(grants(rulesOf(role))).isEqualTo(OPERATOR_NEEDS));
        List<RoleBinding> bindings = chart.ofKind("RoleBinding").stream().map(b -> as(b, RoleBinding.class)).toList();
        assertThat(bindings).extracting(b -> b.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
        bindings.forEach(b -> {
            assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
            assertThat(b.getSubjects()).singleElement().satisfies(this::isTheOperatorsServiceAccount);
        });
    }

    @Test
    void theLeaseIsGrantedOnlyWithLeaderElectionInTheReleaseNamespace() {
        assertThat(leaseRules(NightshiftChart.render())).isEmpty();
        assertThat(leaseRules(NightshiftChart.render("replicas", "1", "leaderElection.enabled", "true"))).isNotEmpty();

        RenderedChart chart = NightshiftChart.render("replicas", "2", "watchNamespaces[0]", "team-a");
        JsonNode leaseRole = chart.named("Role", NightshiftChart.RELEASE + "-leader-election");
        assertThat(leaseRole.at("/metadata/namespace").asText()).isEqualTo(NightshiftChart.NAMESPACE);
        List<PolicyRule> rules = rulesOf(leaseRole);
        assertThat(grants(rules)).isEqualTo(Map.of("coordination.k8s.io/leases", Set.of("create", "get", "update", "patch")));
        assertThat(rules).filteredOn(r -> !r.getVerbs().equals(List.of("create")))
                .allSatisfy(r -> assertThat(r.getResourceNames()).containsExactly(NightshiftChart.RELEASE));
        RoleBinding binding = as(chart.named("RoleBinding", NightshiftChart.RELEASE + "-leader-election"), RoleBinding.class);
        assertThat(binding.getMetadata().getNamespace()).isEqualTo(NightshiftChart.NAMESPACE);
        assertThat(binding.getRoleRef().getName()).isEqualTo(NightshiftChart.RELEASE + "-leader-election");
    }

    private static List<PolicyRule> leaseRules(RenderedChart chart) {
        return chart.ofKind("Role").stream().flatMap(r -> rulesOf(r).stream()).filter(rule -> rule.getResources().contains("leases")).toList();
    }

    @Test
    void noRoleTouchesSecretsOrUsesWildcards() {
        for (RenderedChart chart : List.of(NightshiftChart.render("replicas", "2"),
                NightshiftChart.render("replicas", "2", "watchNamespaces[0]", "team-a"))) {
            List<JsonNode> roles = new ArrayList<>(chart.ofKind("ClusterRole"));
            roles.addAll(chart.ofKind("Role"));
            assertThat(roles).isNotEmpty();
            for (JsonNode role : roles) {
                for (PolicyRule rule : rulesOf(role)) {
                    assertThat(rule.getResources()).as("%s", role.at("/metadata/name")).noneMatch(r -> r.startsWith("secrets"))
                            .doesNotContain("*");
                    assertThat(rule.getVerbs()).as("%s", role.at("/metadata/name")).doesNotContain("*");
                    assertThat(rule.getApiGroups()).as("%s", role.at("/metadata/name")).doesNotContain("*");
                    if (!role.at("/metadata/name").asText().equals(NightshiftChart.RELEASE + "-metrics-reader")) {
                        assertThat(rule.getNonResourceURLs()).as("%s", role.at("/metadata/name")).isNullOrEmpty();
                    }
                }
            }
        }
    }

    @Test
    void namespaceUsersMayManageMaintenanceJobsThroughTheBuiltInRoles() {
        RenderedChart chart = NightshiftChart.render();

        JsonNode edit = chart.named("ClusterRole", NightshiftChart.RELEASE + "-edit");
        assertThat(edit.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-edit").asText()).isEqualTo("true");
        assertThat(grants(rulesOf(edit)).get("nightshift.io/maintenancejobs")).contains("create", "patch", "delete");
        JsonNode view = chart.named("ClusterRole", NightshiftChart.RELEASE + "-view");
        assertThat(view.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-view").asText()).isEqualTo("true");
        assertThat(grants(rulesOf(view)).get("nightshift.io/maintenancejobs")).containsExactlyInAnyOrder("get", "list", "watch");

        assertThat(NightshiftChart.render("rbac.aggregateToDefaultRoles", "false", "metrics.secure", "false").ofKind("ClusterRole"))
                .extracting(r -> r.at("/metadata/name").asText()).containsExactly(NightshiftChart.RELEASE);
    }

    @Test
    void secureModeAddsExactlyTheReviewPermissionsAndAMetricsReaderRole() {
        for (RenderedChart chart : List.of(NightshiftChart.render(), NightshiftChart.render("watchNamespaces[0]", "team-a"))) {
            JsonNode auth = chart.named("ClusterRole", NightshiftChart.RELEASE + "-metrics-auth");
            assertThat(grants(rulesOf(auth))).isEqualTo(Map.of(
                    "authentication.k8s.io/tokenreviews", Set.of("create"),
                    "authorization.k8s.io/subjectaccessreviews", Set.of("create")));
            RoleBinding binding = as(chart.named("ClusterRoleBinding", NightshiftChart.RELEASE + "-metrics-auth"), RoleBinding.class);
            assertThat(binding.getRoleRef().getName()).isEqualTo(NightshiftChart.RELEASE + "-metrics-auth");
            assertThat(binding.getSubjects()).singleElement().satisfies(this::isTheOperatorsServiceAccount);

            List<PolicyRule> reader = rulesOf(chart.named("ClusterRole", NightshiftChart.RELEASE + "-metrics-reader"));
            assertThat(reader).singleElement().satisfies(rule -> {
                assertThat(rule.getNonResourceURLs()).containsExactly("/metrics");
                assertThat(rule.getVerbs()).containsExactly("get");
                assertThat(rule.getResources()).isNullOrEmpty();
            });
            assertThat(chart.ofKind("ClusterRoleBinding")).noneMatch(b -> b.at("/metadata/name").asText().endsWith("-metrics-reader"));
        }

        RenderedChart plain = NightshiftChart.render("metrics.secure", "false");
        assertThat(plain.kinds()).noneMatch(k -> k.contains("-metrics-auth") || k.contains("-metrics-reader"));
    }

    @Test
    void prometheusServiceAccountsGivenInValuesAreBoundToTheMetricsReader() {
        RenderedChart chart = NightshiftChart.render("metrics.readerServiceAccounts[0].name", "prometheus-k8s",
                "metrics.readerServiceAccounts[0].namespace", "monitoring");

        RoleBinding binding = as(chart.named("ClusterRoleBinding", NightshiftChart.RELEASE + "-metrics-reader"), RoleBinding.class);
        assertThat(binding.getRoleRef().getName()).isEqualTo(NightshiftChart.RELEASE + "-metrics-reader");
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo("prometheus-k8s");
            assertThat(subject.getNamespace()).isEqualTo("monitoring");
        });
    }

    @Test
    void withoutRbacCreationThereAreNoRolesAtAll() {
        RenderedChart chart = NightshiftChart.render("rbac.create", "false", "replicas", "2");

        assertThat(chart.kinds()).noneMatch(k -> k.startsWith("ClusterRole") || k.startsWith("Role"));
    }

    private void isTheOperatorsServiceAccount(Subject subject) {
        assertThat(subject.getKind()).isEqualTo("ServiceAccount");
        assertThat(subject.getName()).isEqualTo(NightshiftChart.RELEASE);
        assertThat(subject.getNamespace()).isEqualTo(NightshiftChart.NAMESPACE);
    }
}
