package io.drover.cli;

import java.io.InputStream;
import java.time.Clock;
import java.util.function.Function;

/**
 * What the CLI takes from the process it runs in, gathered so that tests can substitute each: environment
 * variables, standard input ({@code -f -}) and the clock (ages in tables).
 */
public record CliContext(Function<String, String> environment, InputStream stdin, Clock clock) {

    public static CliContext system() {
        return new CliContext(System::getenv, System.in, Clock.systemUTC());
    }

    public String env(String name) {
        return environment.apply(name);
    }
}
