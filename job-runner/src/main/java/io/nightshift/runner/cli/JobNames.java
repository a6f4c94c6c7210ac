package io.nightshift.runner.cli;

import io.nightshift.api.contract.RunnerEnvironment;
import io.nightshift.runner.run.RunSettings;
import io.nightshift.runner.tasks.ConfigurationException;

/** The job's name and namespace as the ledger, the lock and the log lines use them. */
final class JobNames {

    private JobNames() {
    }

    /**
     * At most {@link RunSettings#MAX_JOB_NAME} characters, counted as PostgreSQL counts them (code points,
     * so an emoji is one), and one line of text: no control or line-separator character, which would
     * split the runner's log lines.
     */
    static void check(String name) {
        int length = name.codePointCount(0, name.length());
        if (length > RunSettings.MAX_JOB_NAME) {
            throw new ConfigurationException("job name: at most " + RunSettings.MAX_JOB_NAME + " characters (the ledger's job_name), got "
                    + length);
        }
        int position = 0;
        for (int i = 0; i < name.length(); i = name.offsetByCodePoints(i, 1)) {
            int c = name.codePointAt(i);
            position++;
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.SURROGATE) {
                throw new ConfigurationException("job name: character " + position + " is " + String.format("U+%04X", c)
                        + ", a control character or line break; a job name is one line of text");
            }
        }
    }

    /** A Kubernetes namespace name (RFC 1123 label), as the operator sets it. */
    static void checkNamespace(String namespace) {
        if (!namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new ConfigurationException(RunnerEnvironment.NAMESPACE + ": not a Kubernetes namespace name (lowercase letters, digits and '-', "
                    + "starting and ending with a letter or digit, at most 63 characters)");
        }
    }
}
