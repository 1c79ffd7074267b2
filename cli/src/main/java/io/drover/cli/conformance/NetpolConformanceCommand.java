package io.drover.cli.conformance;

import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.api.ApiException;
import io.drover.api.client.DroverClient;
import io.drover.api.client.RemoteResourceRegistry;
import io.drover.api.client.ServerUrls;
import io.drover.cli.CliException;
import io.drover.cli.DroverCommand;
import io.drover.cli.Main;
import io.drover.cli.lab.LabDirectory;
import io.drover.cli.lab.RootCheck;
import io.drover.lab.conformance.CaseFileException;
import io.drover.lab.conformance.CaseFiles;
import io.drover.lab.conformance.CaseResult;
import io.drover.lab.conformance.ConformanceReport;
import io.drover.lab.conformance.ConformanceSetupException;
import io.drover.lab.conformance.ConformanceWorkload;
import io.drover.lab.conformance.LabMatrixProber;
import io.drover.lab.conformance.NetpolConformanceRunner;
import io.drover.lab.conformance.StepResult;
import io.drover.lab.conformance.Ticker;
import io.drover.lab.probe.ProbeTarget;
import io.drover.lab.probe.Prober;
import io.drover.lab.probe.ServingCheck;
import io.drover.lab.runtime.LabException;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabPodNamespaces;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.LabStateStore;
import io.drover.lab.runtime.LabTeardown;
import io.drover.lab.runtime.RunningLabs;
import io.drover.model.pod.Pod;
import io.drover.policy.conformance.ConformanceCase;
import io.drover.policy.conformance.ConformanceModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drover conformance netpol FILE...}: runs NetworkPolicy conformance cases (the format of
 * {@code conformance/netpol/README.md}) against a real lab. It builds the cases' model through the lab's API
 * (namespaces x, y, z; pods a, b, c in each, spread over the nodes; each serving TCP, UDP and SCTP on ports 80 and
 * 81), then per case resets it, applies each step's actions through the API and probes the step's matrices with real
 * connections from inside the pods, until they match or the step's time limit passes. Prints PASS or FAIL per case
 * with the cells that differ, and exits 1 when a case failed.
 *
 * <p>Without {@code --lab} it starts a lab of its own (a unique name) and always removes it: at the end, on failure
 * and on Ctrl-C or SIGTERM (a shutdown hook). With {@code --lab NAME} it uses that lab, leaves it up, and removes what
 * it made there (namespaces x, y, z with their pods and policies, and the network it created).
 */
@Command(name = "netpol", mixinStandardHelpOptions = true,
        description = {"Run NetworkPolicy conformance cases against a real lab and print PASS or FAIL per case, with the"
                + " cells that differ; exit code 1 when a case failed.",
                "FILE is a case (the format of conformance/netpol/README.md) or a directory of them (*.yaml).",
                "Without --lab, a lab of its own is started (--nodes, --mode) and removed at the end, on failure and on"
                        + " Ctrl-C. With --lab, that lab is used and left up; namespaces x, y and z (and their pods and"
                        + " policies) are made there and removed at the end. Needs root."})
public final class NetpolConformanceCommand implements Callable<Integer> {

    /** Pods get addresses and serve within this (a fresh lab's first pods included). */
    private static final Duration READY_LIMIT = Duration.ofSeconds(60);
    /** Every pod reaches every other on every protocol and port the cases probe, before the first case. */
    private static final Duration ALL_CONNECTED_LIMIT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Case files, or directories of them.")
    List<Path> files;

    @Option(names = "--nodes", defaultValue = "2", paramLabel = "N",
            description = "Nodes of the lab the run starts (pods are spread over them). Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--mode", defaultValue = "routed", paramLabel = "MODE",
            description = "How the started lab's pods reach pods of other nodes: routed or vxlan. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--lab", paramLabel = "NAME",
            description = "Run in this lab, which is up, instead of starting one; it is left up.")
    String lab;

    @Option(names = "--probe-timeout-ms", defaultValue = "500", paramLabel = "MS",
            description = "How long one connection attempt may take before it counts as blocked. Default: ${DEFAULT-VALUE}.")
    long probeTimeoutMs;

    @Option(names = "--step-timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = {"How long a step's probes may take to show what it expects after its last action (policies"
                    + " are enforced eventually): rounds of probes repeat until then. Default: ${DEFAULT-VALUE}."})
    int stepTimeoutSeconds;

    @Option(names = {"-v", "--verbose"},
            description = "List every differing cell with both matrices, and the lab's start-up.")
    boolean verbose;

    private final DroverCommand drover;

    public NetpolConformanceCommand(DroverCommand drover) {
        this.drover = drover;
    }

    @Override
    public Integer call() {
        LabLauncher.Options labOptions = checkOptions();
        List<ConformanceCase> cases;
        try {
            cases = CaseFiles.readAll(files);
        } catch (CaseFileException e) {
            throw new CliException(e.getMessage());
        }
        RootCheck.require("conformance netpol");
        quietLog();
        PrintWriter out = spec.commandLine().getOut();
        LabStateStore store = LabDirectory.store(drover.context());
        try (LinuxKernel kernel = new LinuxKernel()) {
            Cleanup cleanup = new Cleanup(kernel, store, labOptions == null ? lab : labOptions.name(), labOptions != null, out);
            Thread onSignal = new Thread(cleanup::run, "drover-conformance-cleanup");
            Runtime.getRuntime().addShutdownHook(onSignal);
            try {
                return run(kernel, store, labOptions, cleanup, cases, out);
            } catch (RuntimeException e) {
                if (cleanup.done()) {
                    // Ctrl-C or SIGTERM: the hook removed what the run made, and this failure is only its echo.
                    throw new CliException("stopped: " + (labOptions != null ? "lab " + labOptions.name()
                            + " was removed" : "what the run made in lab " + lab + " was removed"));
                }
                throw switch (e) {
                    case LabException l -> new CliException(l.getMessage());
                    case ConformanceSetupException s -> new CliException(s.getMessage());
                    case ApiException a -> new CliException("the lab's server refused: " + a.getMessage());
                    case CancellationException c -> new CliException("interrupted");
                    default -> e;
                };
            } finally {
                cleanup.run();
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C or SIGTERM: the hook runs now and finds the cleanup done or does it
                }
                out.flush();
            }
        }
    }

    /** The options of the lab to start, or null with --lab; a usage mistake is a parameter error. */
    private LabLauncher.Options checkOptions() {
        if (probeTimeoutMs < 1) {
            throw new ParameterException(spec.commandLine(), "--probe-timeout-ms must be at least 1, not " + probeTimeoutMs);
        }
        if (stepTimeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--step-timeout must be at least 1 second, not " + stepTimeoutSeconds);
        }
        if (lab != null) {
            var parsed = spec.commandLine().getParseResult();
            if (parsed.hasMatchedOption("--nodes") || parsed.hasMatchedOption("--mode")) {
                throw new ParameterException(spec.commandLine(), "--nodes and --mode shape the lab the run starts; with"
                        + " --lab " + lab + " the run uses that lab as it is (leave them out)");
            }
            String problem = LabNames.validate(lab);
            if (problem != null) {
                throw new ParameterException(spec.commandLine(), problem);
            }
            return null;
        }
        try {
            return LabLauncher.Options.of(uniqueLabName(), nodes, LabLauncher.Options.DEFAULT_TIMEOUT, mode, null, null,
                    null, 1, false); // no cluster DNS: the cases connect by address
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** {@code np-<pid>-<4 hex digits>}: unique on this machine, and recognisable as a conformance run's. */
    static String uniqueLabName() {
        return "np-" + ProcessHandle.current().pid() + "-"
                + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    private int run(LinuxKernel kernel, LabStateStore store, LabLauncher.Options labOptions, Cleanup cleanup,
            List<ConformanceCase> cases, PrintWriter out) {
        long started = System.nanoTime();
        LabState state = labOptions == null ? existingLab(store) : startLab(kernel, store, labOptions, out);
        LabNames names = LabNames.of(state.name());
        List<String> nodeNames = IntStream.rangeClosed(1, state.nodes()).mapToObj(LabNames::nodeName).toList();
        // Closed by the cleanup, which removes the workload through it first (also from the shutdown hook).
        RemoteResourceRegistry registry = new RemoteResourceRegistry(new DroverClient(ServerUrls.parse(state.serverUrl())));
        ConformanceWorkload workload = new ConformanceWorkload(registry);
        cleanup.workload(workload, registry);
        workload.create(nodeNames);
        List<Pod> pods = workload.awaitAddresses(READY_LIMIT, Ticker.SYSTEM);
        List<ProbeTarget> targets = pods.stream()
                .map(p -> ProbeTarget.of(p, NetNs.named(LabPodNamespaces.namespaceName(names, p)))).toList();
        new ServingCheck(kernel).await(targets, 80, READY_LIMIT);

        ConformanceModel model = ConformanceModel.withAddresses(ConformanceWorkload.addresses(pods));
        LabMatrixProber prober = new LabMatrixProber(new Prober(kernel), targets, Duration.ofMillis(probeTimeoutMs));
        NetpolConformanceRunner runner = new NetpolConformanceRunner(workload, prober, model,
                NetpolConformanceRunner.Settings.DEFAULTS.withStepLimit(Duration.ofSeconds(stepTimeoutSeconds)),
                Ticker.SYSTEM);
        Set<String> probed = new LinkedHashSet<>();
        cases.forEach(c -> c.steps().forEach(s -> s.probes().forEach(p -> probed.add(p.protocol() + "/" + p.port()))));
        StepResult ready = runner.awaitAllConnected(probed, ALL_CONNECTED_LIMIT);
        if (!ready.passed()) {
            List<String> problems = new ArrayList<>(List.of("before any policy, not every pod of the model reaches"
                    + " every other in lab " + state.name() + " within " + ALL_CONNECTED_LIMIT.toSeconds()
                    + " s, so no case could pass; the agents' logs are in the lab's logs directory:"));
            ConformanceReport.differingCells(ready, ConformanceReport.CELLS_SHOWN).forEach(c -> problems.add("  " + c));
            throw new CliException(problems);
        }
        out.printf("%d pods in namespaces %s on %d node%s of lab %s serve ports 80 and 81 (%s); %d case%s to run%n",
                pods.size(), String.join(", ", ConformanceModel.NAMESPACES), nodeNames.size(),
                nodeNames.size() == 1 ? "" : "s", state.name(), ConformanceReport.seconds(Duration.ofNanos(System.nanoTime() - started)),
                cases.size(), cases.size() == 1 ? "" : "s");
        out.flush();

        List<CaseResult> results = new ArrayList<>();
        long casesStarted = System.nanoTime();
        for (ConformanceCase c : cases) {
            CaseResult result = runner.run(c);
            results.add(result);
            ConformanceReport.lines(result, verbose).forEach(out::println);
            out.flush();
        }
        ConformanceReport.settledSummary(results).ifPresent(out::println);
        out.println(ConformanceReport.summary(results, Duration.ofNanos(System.nanoTime() - casesStarted)));
        out.flush();
        return results.stream().allMatch(CaseResult::passed) ? 0 : 1;
    }

    private LabState startLab(LinuxKernel kernel, LabStateStore store, LabLauncher.Options options, PrintWriter out) {
        out.printf("Starting lab %s: %d node%s, %s mode ...%n", options.name(), options.nodes(),
                options.nodes() == 1 ? "" : "s", options.mode());
        out.flush();
        LabLauncher launcher = new LabLauncher(kernel, store, LabLauncher.Launch.thisJvm(Main.class.getName()), line -> {
            if (verbose) {
                out.println("  " + line);
                out.flush();
            }
        });
        return launcher.up(options);
    }

    private LabState existingLab(LabStateStore store) {
        return RunningLabs.choose(store, lab).orElseThrow(() -> new CliException("lab " + lab + " is not up"));
    }

    /**
     * Removes what the run made, once, whichever comes first: the end of the run or Ctrl-C/SIGTERM. A lab of its own
     * goes entirely; in a lab given with --lab, the model's namespaces, pods and policies (and the network it made).
     */
    private static final class Cleanup implements Runnable {
        private final LinuxKernel kernel;
        private final LabStateStore store;
        private final String lab;
        private final boolean ownLab;
        private final PrintWriter out;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile ConformanceWorkload workload;
        private volatile AutoCloseable client;

        Cleanup(LinuxKernel kernel, LabStateStore store, String lab, boolean ownLab, PrintWriter out) {
            this.kernel = kernel;
            this.store = store;
            this.lab = lab;
            this.ownLab = ownLab;
            this.out = out;
        }

        /** What the run made in the lab, and the client it made it with (closed at the end). */
        void workload(ConformanceWorkload made, AutoCloseable madeWith) {
            this.workload = made;
            this.client = madeWith;
        }

        boolean done() {
            return done.get();
        }

        @Override
        public void run() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                if (ownLab) {
                    new LabTeardown(kernel, store, Duration.ofSeconds(2)).tearDown(lab);
                    out.println("Lab " + lab + " removed.");
                } else if (workload != null && workload.madeSomething()) {
                    List<String> problems = workload.remove();
                    if (problems.isEmpty()) {
                        out.println("Removed namespaces " + String.join(", ", ConformanceModel.NAMESPACES)
                                + " (with their pods and policies) from lab " + lab + ".");
                    } else {
                        out.println("Could not remove everything the run made in lab " + lab + ":");
                        problems.forEach(p -> out.println("  " + p));
                    }
                }
            } catch (RuntimeException e) {
                out.println("Cleaning up lab " + lab + " failed: " + e.getMessage()
                        + (ownLab ? "; remove it with 'drover lab down --name " + lab + "'" : ""));
            } finally {
                closeClient();
                out.flush();
            }
        }

        private void closeClient() {
            AutoCloseable c = client;
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // nothing left to tell it
                }
            }
        }
    }

    /** The run's report is the output; log lines (warnings aside) would only interleave with it. */
    private static void quietLog() {
        if (System.getenv("DROVER_LOG_LEVEL") == null && System.getProperty("DROVER_LOG_LEVEL") == null
                && org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
