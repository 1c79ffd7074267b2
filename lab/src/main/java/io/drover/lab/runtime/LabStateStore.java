package io.drover.lab.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lab state files: {@code DIR/NAME.json} per lab, plus {@code DIR/NAME/} for what the lab keeps beside it
 * (process logs, the server's data). DIR is {@code /run/drover/labs} for root (labs need root: they create
 * namespaces) and {@code $XDG_RUNTIME_DIR/drover/labs} for anyone else; both are on tmpfs, as a lab does not
 * survive a reboot either.
 *
 * <p>Writes go to a temporary file renamed over the old one, so a reader never sees half a file; read-modify-write
 * updates hold a lock (a file lock against other processes, a JVM lock against other threads, since file locks are
 * per process).
 */
public final class LabStateStore {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final ReentrantLock JVM_LOCK = new ReentrantLock();

    private final Path dir;

    public LabStateStore(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    /** The store in the default directory for this user. */
    public static LabStateStore defaultStore() {
        return new LabStateStore(defaultDir(isRoot(), System.getenv()));
    }

    static Path defaultDir(boolean root, Map<String, String> env) {
        if (root) {
            return Path.of("/run/drover/labs");
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            return Path.of(runtime, "drover", "labs");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "drover-" + System.getProperty("user.name"), "labs");
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    public Path dir() {
        return dir;
    }

    public Path stateFile(String lab) {
        return dir.resolve(new LabNames(lab).lab() + ".json");
    }

    /** The lab's own directory: its logs and, by default, its server's data. */
    public Path labDir(String lab) {
        return dir.resolve(new LabNames(lab).lab());
    }

    public Path logDir(String lab) {
        return labDir(lab).resolve("logs");
    }

    public Optional<LabState> load(String lab) {
        Path file = stateFile(lab);
        try {
            return Optional.of(JSON.readValue(Files.readString(file), LabState.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lab state file " + file, e);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new LabException("the lab state file " + file + " is damaged (" + e.getMessage() + "); run 'drover lab"
                    + " down --name " + lab + "', which also finds what the lab left without its state file");
        }
    }

    /** Writes a lab's state, replacing what was there. */
    public void save(LabState state) {
        withLock(() -> {
            write(state);
            return null;
        });
    }

    /**
     * Reads, changes and writes a lab's state under the lock, so that concurrent recorders (a process launcher and
     * the fabric builder, say) never lose each other's entries.
     *
     * @param initial the state to start from when the lab has none yet
     */
    public LabState update(String lab, LabState initial, UnaryOperator<LabState> change) {
        return withLock(() -> {
            LabState next = change.apply(load(lab).orElse(initial));
            write(next);
            return next;
        });
    }

    /** Removes the state file; true when there was one. */
    public boolean delete(String lab) {
        return withLock(() -> {
            try {
                return Files.deleteIfExists(stateFile(lab));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the lab state file " + stateFile(lab), e);
            }
        });
    }

    /** The labs that have a state file. */
    public List<String> labs() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> labs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                name = name.substring(0, name.length() - ".json".length());
                if (LabNames.validate(name) == null) {
                    labs.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        labs.sort(Comparator.naturalOrder());
        return labs;
    }

    /** Removes the lab's directory and everything in it (logs, the server's data). */
    public void deleteLabDir(String lab) {
        Path root = labDir(lab);
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }

    private void write(LabState state) {
        Path file = stateFile(state.name());
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + state.name() + ".json.tmp");
            Files.writeString(tmp, JSON.writeValueAsString(state) + "\n");
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab state file " + file, e);
        }
    }

    private <T> T withLock(java.util.function.Supplier<T> body) {
        JVM_LOCK.lock();
        try {
            Files.createDirectories(dir);
            try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"),
                            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock _ = lockFile.lock()) {
                return body.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the lab state directory " + dir, e);
        } finally {
            JVM_LOCK.unlock();
        }
    }
}
