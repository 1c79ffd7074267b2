package io.drover.cli.lab;

import io.drover.api.client.ApiError;
import io.drover.api.client.DroverClient;
import io.drover.cli.CliException;
import io.drover.cli.DroverCommand;
import io.drover.cli.output.ResourceNames;
import io.drover.lab.dns.PodResolvConf;
import io.drover.lab.runtime.LabException;
import io.drover.lab.runtime.LabPodNamespaces;
import io.drover.model.ResourceKind;
import io.drover.model.pod.Pod;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drover lab exec NAMESPACE/POD -- CMD ARGS...}: runs a command in a lab pod's network namespace (for a
 * container-mode pod, the one it shares) and exits with the command's exit code. In a lab with cluster DNS the
 * command sees the pod's resolv.conf ({@link PodResolvConf}: {@code ip netns exec} mounts it over /etc/resolv.conf in
 * a mount namespace of the command's own), so {@code dig NAME} asks the cluster DNS.
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run a command inside a lab pod's network namespace, e.g. drover lab exec shop/web-1 -- ip address.",
                "Exits with the command's exit code."})
public final class LabExecCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAMESPACE/POD", description = "The pod; a bare POD is in namespace default.")
    String pod;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments, after --.")
    List<String> command;

    @Option(names = "--lab", paramLabel = "NAME", description = "The lab. Default: the one that is up.")
    String lab;

    @Option(names = "--server", paramLabel = "URL", description = "The API server. Default: the lab's.")
    String server;

    private final DroverCommand drover;

    public LabExecCommand(DroverCommand drover) {
        this.drover = drover;
    }

    /** {@code NAMESPACE/POD} or {@code POD}, as namespace and name. */
    record PodRef(String namespace, String name) {
        static PodRef parse(String text) {
            int slash = text.indexOf('/');
            if (slash < 0) {
                return new PodRef("default", text);
            }
            if (slash == 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
                throw new CliException("'" + text + "' is not a pod: write NAMESPACE/POD, e.g. shop/web-1");
            }
            return new PodRef(text.substring(0, slash), text.substring(slash + 1));
        }
    }

    @Override
    public Integer call() throws Exception {
        PodRef ref = PodRef.parse(pod);
        RootCheck.require("lab exec");
        LabConnection lab = LabConnection.resolve(drover, this.lab, server);
        Pod found;
        try (DroverClient client = new DroverClient(lab.server())) {
            found = (Pod) client.get(ResourceKind.POD, ref.namespace(), ref.name());
        } catch (ApiError e) {
            if (e.isNotFound()) {
                throw new CliException(ResourceNames.notFound(ResourceKind.POD, ref.namespace(), ref.name()));
            }
            throw e;
        }
        String namespace;
        try {
            namespace = LabPodNamespaces.namespaceName(lab.names(), found);
        } catch (LabException e) {
            throw new CliException(e.getMessage());
        }
        if (!Files.exists(Path.of("/run/netns", namespace))) {
            throw new CliException("pod " + ref.namespace() + "/" + ref.name() + " has no namespace yet (" + namespace
                    + "): it is not placed or not plumbed; see 'drover describe pod " + ref.name() + " -n "
                    + ref.namespace() + "'");
        }
        awaitResolverConfiguration(lab, found, namespace);
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return run(full);
    }

    /**
     * The node's agent writes a pod's resolv.conf once it has made the pod's namespace, a moment after: a command run
     * in that moment waits for it (briefly), so that it never asks this machine's resolver by surprise.
     */
    private void awaitResolverConfiguration(LabConnection lab, Pod pod, String namespace) throws InterruptedException {
        String mode = pod.spec().effectiveNetworkMode();
        if (lab.clusterDns() == null || !(mode.equals("bridge") || mode.equals("none"))) {
            return;
        }
        Path file = new PodResolvConf(PodResolvConf.ETC_NETNS).path(namespace);
        long deadline = System.nanoTime() + RESOLV_CONF_WAIT.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() - deadline > 0) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("warning: pod " + pod.metadata().namespace() + "/" + pod.metadata().name() + " has no resolver"
                        + " configuration yet (" + file + ", written by its node's agent): this command uses this"
                        + " machine's /etc/resolv.conf; see the agent's log with 'drover lab status'");
                err.flush();
                return;
            }
            Thread.sleep(50);
        }
    }

    private static final java.time.Duration RESOLV_CONF_WAIT = java.time.Duration.ofSeconds(3);

    /**
     * Run as the real command, the child gets this terminal (so interactive programs work); run inside another
     * program (the demo, tests), its output goes through this command's writers instead.
     */
    private int run(List<String> full) throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.flush();
        err.flush();
        ProcessBuilder builder = new ProcessBuilder(full);
        boolean terminal = drover.context().stdin() == System.in;
        if (terminal) {
            builder.inheritIO();
        } else {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CliException("cannot run 'ip netns exec': " + e.getMessage() + "; install iproute2");
        }
        if (!terminal) {
            Thread errors = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), err));
            copy(process.getInputStream(), out);
            errors.join();
        }
        int code = process.waitFor();
        out.flush();
        err.flush();
        return code;
    }

    private static void copy(InputStream from, PrintWriter to) {
        try (Reader reader = new InputStreamReader(from, StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                synchronized (to) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            }
        } catch (IOException e) {
            // the process ended: nothing more to copy
        }
    }
}
