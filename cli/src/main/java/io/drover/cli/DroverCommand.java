package io.drover.cli;

import io.drover.api.client.DroverClient;
import io.drover.api.client.ServerUrls;
import io.drover.cli.lab.LabDirectory;
import io.drover.lab.runtime.LabException;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.RunningLabs;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The top command, {@code drover}: holds what every verb shares, such as which server to talk to. */
@Command(name = "drover",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Container networking for a private cloud.",
        footer = {"", "Run 'drover VERB --help' for the options of a verb."})
public final class DroverCommand implements Callable<Integer> {

    public static final String SERVER_ENV = "DROVER_SERVER";

    @Spec
    private CommandSpec spec;

    public static final String SERVER_HELP_1 = "The Drover API server to talk to.";
    public static final String SERVER_HELP_2 = "Default: $" + SERVER_ENV + ", else the server of the lab that is up, else "
            + ServerUrls.DEFAULT + ".";

    // Also declared by each client verb, so that it may come after the verb ("drover get pods --server URL"),
    // without showing up in verbs that talk to no server (picocli's inherited options would put it on all).
    @Option(names = "--server", paramLabel = "URL", description = {SERVER_HELP_1, SERVER_HELP_2})
    private String server;

    private final CliContext context;

    public DroverCommand(CliContext context) {
        this.context = context;
    }

    public CliContext context() {
        return context;
    }

    /**
     * The server URL: {@code --server} after the verb (given as {@code verbServer}, may be null), else before it,
     * else {@code $DROVER_SERVER}, else the server of the lab that is up (so that after {@code drover lab up} every
     * verb talks to the lab without flags), else the local default.
     */
    public URI serverUrl(String verbServer) {
        String chosen = verbServer;
        if (chosen == null || chosen.isBlank()) {
            chosen = server;
        }
        if (chosen == null || chosen.isBlank()) {
            chosen = context.env(SERVER_ENV);
        }
        if (chosen == null || chosen.isBlank()) {
            chosen = runningLabServer().orElse(ServerUrls.DEFAULT);
        }
        try {
            return ServerUrls.parse(chosen);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** The URL of the one lab that is up; several up is an error, as the CLI cannot tell which one is meant. */
    private Optional<String> runningLabServer() {
        try {
            return RunningLabs.choose(LabDirectory.store(context), null).map(LabState::serverUrl);
        } catch (LabException e) {
            throw new CliException(e.getMessage());
        }
    }

    public DroverClient client(String verbServer) {
        return new DroverClient(serverUrl(verbServer));
    }

    /** {@code drover} alone: a verb is missing, so show which exist. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: no verb given");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 1;
    }
}
