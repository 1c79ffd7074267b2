package io.drover.agent.kernel.linux;

/**
 * A libc call or a netlink request failed with an errno. Internal: the public face is
 * {@link io.drover.agent.kernel.KernelException}, which {@link LinuxKernel} builds from this with the operation, the
 * object and the namespace, because only the caller knows those.
 *
 * <p>The message reads {@code [call: ]Message (ENAME)[: explanation]}, e.g. {@code setns: Invalid argument (EINVAL)}
 * or {@code Invalid argument (EINVAL): Unknown device type} (the kernel's extended acknowledgement).
 */
final class ErrnoException extends RuntimeException {

    private final int errno;

    /**
     * @param call        what failed at this level ({@code setns}, {@code interface br0}), or empty
     * @param explanation the kernel's extended-ack text, or empty
     */
    ErrnoException(int errno, String call, String explanation) {
        super((call.isEmpty() ? "" : call + ": ") + Errno.describe(errno)
                + (explanation.isEmpty() ? "" : ": " + explanation));
        this.errno = errno;
    }

    ErrnoException(int errno, String call) {
        this(errno, call, "");
    }

    int errno() {
        return errno;
    }
}
