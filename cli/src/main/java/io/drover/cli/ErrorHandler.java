package io.drover.cli;

import io.drover.api.client.ApiError;
import io.drover.api.client.ServerUnreachableException;
import io.drover.cli.output.ErrorReport;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into {@code error: ...} on stderr and exit code 1: usage mistakes (picocli's default would
 * be exit code 2 and a full usage text), refusals by the server, an unreachable server. Only a bug, an exception
 * nobody expected, also gets its stack trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        switch (ex) {
            case CliException e -> e.problems().forEach(problem -> err.println(ErrorReport.PREFIX + problem));
            case ServerUnreachableException e -> err.println(ErrorReport.PREFIX + e.getMessage());
            case ApiError e -> ErrorReport.lines(null, e).forEach(err::println);
            default -> {
                err.println(ErrorReport.PREFIX + "internal error, please report it: " + ex);
                ex.printStackTrace(err);
            }
        }
        err.flush();
        return FAILURE;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(ErrorReport.PREFIX + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("See '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return FAILURE;
    }
}
