package io.drover.agent.kernel;

/**
 * A kernel call failed. {@code errno} is the Linux error number (e.g. 17 EEXIST, 19 ENODEV, 2 ENOENT) or 0 when
 * the failure was not a system call's; the message names the operation, the object and the namespace.
 */
public class KernelException extends RuntimeException {

    private final int errno;

    public KernelException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
        this.errno = 0;
    }

    public int errno() {
        return errno;
    }

    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EADDRNOTAVAIL = 99;
}
