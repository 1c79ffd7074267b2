package io.drover.cli.commands;

import io.drover.cli.CliException;
import io.drover.cli.DroverCommand;
import io.drover.api.client.ApiError;
import io.drover.api.client.DroverClient;
import io.drover.cli.output.ResourceNames;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A verb that talks to the API server: gives it a client for the chosen server and the output streams. */
abstract class ClientVerb implements Callable<Integer> {

    static final int OK = 0;
    static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    // Only --help: the version belongs to "drover --version", not to each verb.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--server", paramLabel = "URL", description = {DroverCommand.SERVER_HELP_1, DroverCommand.SERVER_HELP_2})
    String server;

    final DroverCommand drover;

    ClientVerb(DroverCommand drover) {
        this.drover = drover;
    }

    @Override
    public final Integer call() {
        try (DroverClient client = drover.client(server)) {
            return run(client);
        } finally {
            out().flush();
            err().flush();
        }
    }

    abstract int run(DroverClient client);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Instant now() {
        return drover.context().clock().instant();
    }

    /** Reads one object; a missing one is reported as kubectl does: {@code pod "x" not found in namespace "default"}. */
    static Resource fetch(DroverClient client, ResourceKind kind, String namespace, String name) {
        try {
            return client.get(kind, namespace, name);
        } catch (ApiError e) {
            if (e.isNotFound()) {
                throw new CliException(ResourceNames.notFound(kind, namespace, name));
            }
            throw e;
        }
    }

    /** A usage mistake found after parsing: reported like picocli's own, with a pointer to --help. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
