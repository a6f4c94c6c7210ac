package io.nightshift.operator;

/** Reaches the operator's package-private command-line text from tests in other packages. */
public final class MainAccess {

    private MainAccess() {
    }

    public static String usage() {
        return Main.usage();
    }
}
