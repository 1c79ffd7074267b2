package io.drover.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Runs the drover command line in-process with captured output, a fixed clock, a chosen environment and stdin. */
public final class CliHarness {

    public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    public record Result(int exitCode, String out, String err) {}

    private CliHarness() {}

    public static Result run(String... args) {
        return run(Map.of(), "", args);
    }

    public static Result run(Map<String, String> env, String stdin, String... args) {
        CliContext context = new CliContext(env::get,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Clock.fixed(NOW, ZoneOffset.UTC));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = Main.commandLine(context);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
