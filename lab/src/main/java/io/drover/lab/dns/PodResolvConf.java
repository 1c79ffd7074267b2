package io.drover.lab.dns;

import io.drover.cni.CniResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lab pods' {@code /etc/resolv.conf}, kept where {@code ip netns exec} looks for it: {@code /etc/netns/POD_NETNS/
 * resolv.conf}. Every command started in a pod's namespace through {@code ip netns exec} (the pod's own command,
 * {@code drover lab exec}) gets a mount namespace of its own in which that file is bind-mounted over
 * {@code /etc/resolv.conf}; nothing else on the machine sees it, and this machine's own {@code /etc/resolv.conf} is
 * never touched. The content is the {@code dns} of the agents' CNI results ({@link CniResult.Dns}): the cluster DNS
 * service's address, Kubernetes' search path for the pod's namespace and {@code ndots:5}.
 *
 * <p>A pod in host mode gets none: like a Kubernetes pod on the host network, it uses its node's resolver.
 */
public final class PodResolvConf {

    public static final Path ETC_NETNS = Path.of("/etc/netns");
    static final String FILE = "resolv.conf";

    private final Path etcNetns;

    /** @param etcNetns where iproute2 looks for namespaces' files ({@link #ETC_NETNS}; elsewhere in tests) */
    public PodResolvConf(Path etcNetns) {
        this.etcNetns = etcNetns;
    }

    /** The resolv.conf text of a CNI result's {@code dns}, as the kubelet writes it for a pod. */
    public static String render(CniResult.Dns dns, String pod) {
        StringBuilder text = new StringBuilder("# The resolver configuration of lab pod " + pod + ", written by Drover's"
                + " lab: 'ip netns exec' mounts it over /etc/resolv.conf for commands in the pod only.\n");
        if (!dns.search().isEmpty()) {
            text.append("search ").append(String.join(" ", dns.search())).append('\n');
        }
        for (String server : dns.nameservers()) {
            text.append("nameserver ").append(server).append('\n');
        }
        if (!dns.options().isEmpty()) {
            text.append("options ").append(String.join(" ", dns.options())).append('\n');
        }
        return text.toString();
    }

    /** Where the file of a pod namespace is. */
    public Path path(String podNetns) {
        return etcNetns.resolve(podNetns).resolve(FILE);
    }

    /** What the file of a pod namespace holds now, if there is one. */
    public Optional<String> read(String podNetns) {
        try {
            return Optional.of(Files.readString(path(podNetns)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path(podNetns), e);
        }
    }

    /**
     * Writes the file of a pod namespace unless it already holds {@code content}; whole or not at all (a command
     * starting at the same moment never sees half a file). True when it wrote.
     */
    public boolean write(String podNetns, String content) {
        if (read(podNetns).filter(content::equals).isPresent()) {
            return false;
        }
        Path file = path(podNetns);
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(FILE + ".tmp");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " (the lab pods' resolver configuration): "
                    + e.getMessage() + "; check that " + etcNetns + " is writable by root", e);
        }
    }

    /** Removes the file of a pod namespace and its directory (when nothing else is in it). */
    public void remove(String podNetns) {
        Path dir = etcNetns.resolve(podNetns);
        try {
            Files.deleteIfExists(dir.resolve(FILE));
            Files.deleteIfExists(dir.resolve(FILE + ".tmp"));
            try {
                Files.deleteIfExists(dir);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // something else was put there: not ours to remove
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes the directory of namespaces' files itself when nothing is left in it (labs made it for their pods; a
     * directory with anything in it is someone's and stays).
     */
    public void removeDirectoryIfEmpty() {
        try {
            Files.deleteIfExists(etcNetns);
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // in use
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + etcNetns + ": " + e.getMessage(), e);
        }
    }

    /** The pod namespaces that have a directory here whose name starts with {@code prefix}. */
    public List<String> namespacesWithPrefix(String prefix) {
        List<String> found = new ArrayList<>();
        if (!Files.isDirectory(etcNetns)) {
            return found;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(etcNetns, prefix + "*")) {
            dirs.forEach(d -> found.add(d.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + etcNetns + ": " + e.getMessage(), e);
        }
        return found;
    }
}
