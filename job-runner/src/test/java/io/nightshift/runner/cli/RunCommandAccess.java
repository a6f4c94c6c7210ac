package io.nightshift.runner.cli;

import java.util.function.Function;
import picocli.CommandLine;

/** Lets tests run the {@code run} command with an environment of their own. */
public final class RunCommandAccess {

    private RunCommandAccess() {
    }

    public static int execute(Function<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new RunCommand(env));
        cli.setExitCodeExceptionMapper(e -> 2);
        return cli.execute(args);
    }
}
