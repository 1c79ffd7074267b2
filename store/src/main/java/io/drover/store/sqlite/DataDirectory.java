package io.drover.store.sqlite;

import io.drover.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's directory, held exclusively. SQLite itself lets several processes share a database, which for
 * Drover would mean two servers each believing it owns the revision counter; a lock file with the owner's
 * pid makes the second one fail at open with a message naming the first.
 */
final class DataDirectory implements AutoCloseable {
    static final String DATABASE_FILE = "drover.db";
    static final String LOCK_FILE = "drover.lock";

    /**
     * Directories this JVM holds. POSIX locks belong to the process, so a second channel on the lock file
     * would neither be refused nor could it be closed without dropping the first one's lock.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    static DataDirectory acquire(Path requested) {
        Path dir = prepare(requested);
        if (!HELD.add(dir)) {
            throw new StoreException("the store in " + dir + " is already open in this process: share that "
                    + "SqliteKeyValueStore instead of opening it twice");
        }
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String owner = readOwner(channel);
                throw new StoreException("the store in " + dir + " is in use by another process (" + owner
                        + ", recorded in " + lockFile + "): stop that process, or open another data directory");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new DataDirectory(dir, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD.remove(dir);
            throw new StoreException("cannot lock " + lockFile + ": " + e.getMessage()
                    + "; check that the data directory is writable by this user", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            HELD.remove(dir);
            throw e;
        }
    }

    Path path() {
        return dir;
    }

    Path databaseFile() {
        return dir.resolve(DATABASE_FILE);
    }

    /**
     * Makes a newly created database file's directory entry durable. SQLite syncs the directory when it
     * creates the WAL, but not when it creates the database file itself.
     */
    void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new StoreException("cannot sync the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases the lock anyway.
        }
        closeQuietly(lockChannel);
        HELD.remove(dir);
    }

    private static Path prepare(Path requested) {
        Path dir = requested.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new StoreException("cannot use " + dir + " as the data directory: " + e.getFile()
                    + " exists and is not a directory", e);
        } catch (AccessDeniedException e) {
            throw new StoreException("cannot create the data directory " + dir + ": permission denied on "
                    + e.getFile() + "; create it or fix its permissions, or choose another directory", e);
        } catch (IOException e) {
            for (Path p = dir; p != null; p = p.getParent()) {
                if (Files.exists(p) && !Files.isDirectory(p)) {
                    throw new StoreException("cannot use " + dir + " as the data directory: " + p
                            + " exists and is not a directory", e);
                }
            }
            throw new StoreException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
        try {
            dir = dir.toRealPath();
        } catch (IOException e) {
            throw new StoreException("cannot resolve the data directory " + dir + ": " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new StoreException("the data directory " + dir + " is not writable by user "
                    + System.getProperty("user.name") + ": fix its permissions or choose another directory");
        }
        return dir;
    }

    private static String readOwner(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            int n = channel.read(buffer, 0);
            String pid = n <= 0 ? "" : new String(buffer.array(), 0, n, StandardCharsets.UTF_8).strip();
            return pid.isEmpty() ? "pid unknown" : "pid " + pid;
        } catch (IOException e) {
            return "pid unknown";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing to do: the lock dies with the process at the latest.
            }
        }
    }
}
