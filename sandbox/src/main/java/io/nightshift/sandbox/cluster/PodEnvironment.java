package io.nightshift.sandbox.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resolves a container's environment the way the kubelet does: plain values, Secrets and the downward API. */
final class PodEnvironment {

    private static final Pattern LABEL_PATH = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)']");

    private final KubernetesClient client;

    PodEnvironment(KubernetesClient client) {
        this.client = client;
    }

    Map<String, String> resolve(Pod pod, Container container) throws ContainerConfigException {
        String namespace = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>();
        if (container.getEnvFrom() != null) {
            for (EnvFromSource from : container.getEnvFrom()) {
                if (from.getSecretRef() != null) {
                    Secret secret = secret(namespace, from.getSecretRef().getName(), Boolean.TRUE.equals(from.getSecretRef().getOptional()));
                    String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                    if (secret != null) {
                        data(secret).forEach((k, v) -> env.put(prefix + k, v));
                    }
                }
            }
        }
        if (container.getEnv() != null) {
            for (EnvVar var : container.getEnv()) {
                String value = value(pod, namespace, var);
                if (value != null) {
                    env.put(var.getName(), value);
                }
            }
        }
        return env;
    }

    private String value(Pod pod, String namespace, EnvVar var) throws ContainerConfigException {
        if (var.getValueFrom() == null) {
            return var.getValue() == null ? "" : var.getValue();
        }
        SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
        if (ref != null) {
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Secret secret = secret(namespace, ref.getName(), optional);
            String value = secret == null ? null : data(secret).get(ref.getKey());
            if (value == null && !optional && secret != null) {
                throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
            }
            return value;
        }
        ObjectFieldSelector field = var.getValueFrom().getFieldRef();
        if (field != null) {
            return field(pod, field.getFieldPath());
        }
        throw new ContainerConfigException("env " + var.getName() + ": only secretKeyRef and fieldRef are supported here");
    }

    private static String field(Pod pod, String path) throws ContainerConfigException {
        switch (path) {
            case "metadata.name":
                return pod.getMetadata().getName();
            case "metadata.namespace":
                return pod.getMetadata().getNamespace();
            case "metadata.uid":
                return pod.getMetadata().getUid();
            case "spec.serviceAccountName":
                return pod.getSpec().getServiceAccountName();
            default:
                Matcher m = LABEL_PATH.matcher(path);
                if (m.matches()) {
                    Map<String, String> map = "labels".equals(m.group(1)) ? pod.getMetadata().getLabels() : pod.getMetadata().getAnnotations();
                    return map == null ? "" : map.getOrDefault(m.group(2), "");
                }
                throw new ContainerConfigException("unsupported fieldRef " + path);
        }
    }

    private Secret secret(String namespace, String name, boolean optional) throws ContainerConfigException {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null && !optional) {
            throw new ContainerConfigException("secret \"" + name + "\" not found");
        }
        return secret;
    }

    private static Map<String, String> data(Secret secret) {
        Map<String, String> values = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }
}
