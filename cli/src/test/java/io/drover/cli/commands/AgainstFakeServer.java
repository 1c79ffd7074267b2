package io.drover.cli.commands;

import io.drover.cli.CliHarness;
import io.drover.cli.CliHarness.Result;
import io.drover.cli.FakeApiServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the command tests that run drover against a {@link FakeApiServer} of their own, started for each test
 * and stopped after it. Subclasses seed it, in their constructor, with the objects their tests expect to find.
 */
abstract class AgainstFakeServer {

    final FakeApiServer server = FakeApiServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    /** Runs with the fake's URL in DROVER_SERVER, as a user who exported it would. */
    Result drover(String... args) {
        return CliHarness.run(Map.of("DROVER_SERVER", server.url()), "", args);
    }
}
