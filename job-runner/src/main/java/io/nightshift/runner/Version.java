package io.nightshift.runner;

import picocli.CommandLine.IVersionProvider;

/** The runner's version, from its jar's manifest. */
public final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"nightshift-job-runner " + (v == null ? "development build" : v)};
    }
}
