package io.nightshift.operator;

/** Starts the operator. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("the operator's entry point is built in the operator-core work");
    }
}
