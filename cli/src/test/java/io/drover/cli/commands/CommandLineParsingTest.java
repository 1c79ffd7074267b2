package io.drover.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliContext;
import io.drover.cli.CliHarness;
import io.drover.cli.CliHarness.Result;
import io.drover.cli.DroverCommand;
import io.drover.cli.Main;
import io.drover.cli.output.OutputFormat;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Parsing only: nothing here reaches a server. */
class CommandLineParsingTest {

    private static ParseResult parse(String... args) {
        CommandLine commandLine = Main.commandLine(new CliContext(k -> null, InputStream.nullInputStream(), Clock.systemUTC()));
        return commandLine.parseArgs(args);
    }

    private static GetCommand get(String... args) {
        return (GetCommand) parse(args).subcommand().commandSpec().userObject();
    }

    @Test
    void getOptionsShortAndLong() {
        GetCommand get = get("get", "pods", "-n", "shop", "-l", "app=web", "-o", "wide");

        assertThat(get.kind).isEqualTo("pods");
        assertThat(get.name).isNull();
        assertThat(get.namespace.effective()).isEqualTo("shop");
        assertThat(get.namespace.explicit()).isTrue();
        assertThat(get.selector).isEqualTo("app=web");
        assertThat(get.output).isEqualTo(OutputFormat.WIDE);

        GetCommand longForm = get("get", "pod", "web-1", "--namespace=default", "--selector", "a", "--output", "yaml");
        assertThat(longForm.name).isEqualTo("web-1");
        assertThat(longForm.output).isEqualTo(OutputFormat.YAML);
    }

    @Test
    void getDefaults() {
        GetCommand get = get("get", "pods", "-A");

        assertThat(get.allNamespaces).isTrue();
        assertThat(get.namespace.explicit()).isFalse();
        assertThat(get.namespace.effective()).isEqualTo("default");
        assertThat(get.output).isEqualTo(OutputFormat.TABLE);
        assertThat(get.selector).isNull();
    }

    private static java.net.URI serverOf(ParseResult result) {
        GetCommand get = (GetCommand) result.subcommand().commandSpec().userObject();
        return get.drover.serverUrl(get.server);
    }

    @Test
    void serverOptionIsAcceptedBeforeAndAfterTheVerbAndAfterWins() {
        assertThat(serverOf(parse("--server", "http://a:1", "get", "pods"))).hasToString("http://a:1");
        assertThat(serverOf(parse("get", "pods", "--server", "http://b:2"))).hasToString("http://b:2");
        assertThat(serverOf(parse("--server", "http://a:1", "get", "pods", "--server", "http://b:2"))).hasToString("http://b:2");
    }

    @Test
    void serverComesFromTheEnvironmentThenTheDefault() {
        var fromEnv = new DroverCommand(new CliContext(Map.of("DROVER_SERVER", "http://10.0.0.1:7443/")::get, InputStream.nullInputStream(), Clock.systemUTC()));
        var fallback = new DroverCommand(new CliContext(k -> null, InputStream.nullInputStream(), Clock.systemUTC()));

        assertThat(fromEnv.serverUrl(null)).hasToString("http://10.0.0.1:7443");
        assertThat(fallback.serverUrl(null)).hasToString("http://127.0.0.1:7443");
    }

    @Test
    void theServerOptionIsOnlyOnVerbsThatTalkToAServer() {
        assertThat(CliHarness.run("help", "--help").out()).doesNotContain("--server");
    }

    @Test
    void aBadOutputFormatNamesTheAllowedValues() {
        Result result = CliHarness.run("get", "pods", "-o", "xml");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: Invalid value for option '--output': unknown output format \"xml\"; allowed values: wide, yaml, json, name\n")
                .contains("See 'drover get --help' for usage.");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aBadServerUrlSaysWhatIsExpected() {
        Result result = CliHarness.run("get", "pods", "--server", "127.0.0.1:7443");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: invalid server URL \"127.0.0.1:7443\": expected http://HOST:PORT, e.g. http://127.0.0.1:7443\n");
    }

    @Test
    void usageMistakesFoundAfterParsingAreErrorsWithExitCode1() {
        assertThat(CliHarness.run("get", "pods", "-n", "a", "-A").err())
                .startsWith("error: --namespace and --all-namespaces cannot be used together\n");
        assertThat(CliHarness.run("get", "pod", "web-1", "-l", "app=web").err())
                .startsWith("error: a name and a selector (-l) cannot be used together\n");
        assertThat(CliHarness.run("get", "pod", "web-1", "-A").err())
                .startsWith("error: an object cannot be retrieved by name across all namespaces; use -n NS\n");
        assertThat(CliHarness.run("get", "pods", "-l", "app in web").err())
                .startsWith("error: label selector 'app in web': values of 'app in' must be in parentheses");
        assertThat(CliHarness.run("describe", "pods").err()).startsWith("error: describe needs exactly one object");
        assertThat(CliHarness.run("delete", "pods").err()).startsWith("error: name the pod objects to delete");
        assertThat(CliHarness.run("delete").err()).startsWith("error: delete needs KIND NAME... or -f FILE|DIR|-");
        assertThat(CliHarness.run("delete", "pod", "x", "-f", "a.yaml").err()).startsWith("error: name the objects either as KIND NAME... or with -f");
        assertThat(CliHarness.run("apply").err()).startsWith("error: apply needs at least one -f FILE|DIR|-");
        assertThat(CliHarness.run("get", "pods", "-n", "a", "-A").exitCode()).isEqualTo(1);
    }

    @Test
    void anUnknownKindIsAnErrorBeforeAnyRequest() {
        // No server runs at the default address in tests: reaching it would print "no Drover server answers".
        Result result = CliHarness.run("get", "foo");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: unknown resource type \"foo\"; known types: Block, FirewallPolicy, "
                + "FirewallSettings, Namespace, Network, NetworkPolicy, Node, Pod, SecurityGroup, Service, ServiceEndpoints, "
                + "Tenant\n");
    }

    @Test
    void helpListsTheVerbs() {
        Result result = CliHarness.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: drover", "--server=URL", "apply", "get", "describe", "delete");
    }

    @ParameterizedTest
    @ValueSource(strings = {"apply", "get", "describe", "delete"})
    void everyVerbHasHelp(String verb) {
        Result result = CliHarness.run(verb, "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Usage: drover " + verb).contains("-n, --namespace=NS", "--server=URL");
    }

    @Test
    void versionAndNoVerb() {
        Result version = CliHarness.run("--version");
        Result none = CliHarness.run();

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("drover ");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).startsWith("error: no verb given\nUsage: drover");
    }

    @Test
    void anUnknownVerbSuggestsTheClosest() {
        Result result = CliHarness.run("gett", "pods");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: Unmatched arguments").contains("Did you mean: drover get");
    }
}
