package io.nightshift.runner;

import io.nightshift.runner.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The job-runner: runs one maintenance task once against PostgreSQL and records it. */
@Command(name = "nightshift-job-runner", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Runs one nightshift maintenance task once, records it in the run ledger and writes a result document.",
        subcommands = RunCommand.class)
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // Picocli's usage errors are configuration errors: exit code 2, never retried.
        cli.setExitCodeExceptionMapper(e -> 2);
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: use 'run'");
    }
}
