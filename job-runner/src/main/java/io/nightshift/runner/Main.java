package io.nightshift.runner;

/** Runs one task once. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("the runner's CLI is built in the job-runner work");
    }
}
