package io.nightshift.sandbox.cluster;

/** A container that cannot be started as configured, as the kubelet's CreateContainerConfigError. */
public class ContainerConfigException extends Exception {

    public ContainerConfigException(String message) {
        super(message);
    }
}
