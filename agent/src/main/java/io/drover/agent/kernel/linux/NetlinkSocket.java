package io.drover.agent.kernel.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A NETLINK_ROUTE socket and the request/response protocol over it: sequence numbers, acknowledgements,
 * multi-part dumps ending in NLMSG_DONE, NLMSG_ERROR turned into {@link ErrnoException}.
 *
 * <p>A netlink socket belongs for its whole life to the network namespace of the thread that created it, so each
 * namespace thread opens its own. The memory is confined to that thread too: one socket, one thread, no locking.
 */
final class NetlinkSocket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NetlinkSocket.class);

    /**
     * The kernel sizes dump datagrams to the reader's buffer but caps them near 32 KiB (netlink_recvmsg), and a
     * single link message without statistics is a few KiB, so 64 KiB always holds a whole datagram.
     */
    private static final int RECEIVE_BUFFER = 64 * 1024;
    private static final int RECEIVE_TIMEOUT_SECONDS = 30;
    private static final int DUMP_ATTEMPTS = 5;
    /** setsockopt SO_SNDBUFFORCE: SO_SNDBUF beyond net.core.wmem_max, for CAP_NET_ADMIN. */
    private static final int SO_SNDBUFFORCE = 32;
    private static final int SO_RCVBUFFORCE = 33;
    /** What the kernel may add to a datagram on top of its bytes (netlink_sendmsg compares with sk_sndbuf - 32). */
    private static final int SEND_BUFFER_SLACK = 4096;
    /** Below the usual net.core.wmem_default of 212992 bytes: larger datagrams grow the buffer first. */
    private static final int DEFAULT_SEND_BUFFER = 128 * 1024;

    private final Arena arena = Arena.ofConfined();
    private final int fd;
    private final MemorySegment kernelAddress;
    private MemorySegment sendBuffer;
    private MemorySegment receiveBuffer;
    private int seq;
    /** The send buffer this object asked for; datagrams up to the default (over 200 KiB) fit without asking. */
    private int sendBufferSize = DEFAULT_SEND_BUFFER;

    private NetlinkSocket(int fd) {
        this.fd = fd;
        this.kernelAddress = sockaddrNl(0);
        this.sendBuffer = arena.allocate(4096, 8);
        this.receiveBuffer = arena.allocate(RECEIVE_BUFFER, 8);
        // Start from an unpredictable number so that a reply meant for an earlier socket with the same port id
        // could never be taken for ours; then count up.
        this.seq = (int) (System.nanoTime() & 0x3fffffff);
    }

    /** Opens a socket in the calling thread's network namespace. */
    static NetlinkSocket open() {
        return open(Rtnl.NETLINK_ROUTE);
    }

    /** A socket of another netlink protocol (NETLINK_NETFILTER for NFLOG), in the calling thread's namespace. */
    static NetlinkSocket open(int protocol) {
        return adopt(Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol));
    }

    /**
     * Takes over a netlink socket opened elsewhere: the socket keeps the namespace it was opened in, while this
     * object, whose buffers only its creating thread may touch, belongs to the calling thread.
     */
    static NetlinkSocket adopt(int fd) {
        return adopt(fd, 0);
    }

    /**
     * A socket that receives the kernel's notifications of {@code groups} (a bit mask of multicast groups, such as
     * RTMGRP_LINK), in the calling thread's namespace, with a receive buffer of {@code receiveBufferBytes}: a burst
     * of notifications larger than it is lost, and the next {@link #receiveNow} says so with ENOBUFS.
     */
    static NetlinkSocket subscribe(int protocol, int groups, int receiveBufferBytes) {
        NetlinkSocket socket = adopt(Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol), groups);
        try {
            try {
                socket.setIntOption(Libc.SOL_SOCKET, SO_RCVBUFFORCE, receiveBufferBytes);
            } catch (ErrnoException e) {
                socket.setIntOption(Libc.SOL_SOCKET, Libc.SO_RCVBUF, receiveBufferBytes); // without CAP_NET_ADMIN
            }
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static NetlinkSocket adopt(int fd, int groups) {
        NetlinkSocket socket = new NetlinkSocket(fd);
        try {
            socket.configure(groups);
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void configure(int groups) {
        // Extended acks explain EINVALs; capped acks do not echo our whole request back; strict checking makes the
        // kernel honour the filters in dump requests (interface index, table) instead of ignoring them. All three
        // are refinements (kernels before 4.20 lack strict checking): replies are filtered here as well.
        for (int option : new int[] {Rtnl.NETLINK_EXT_ACK, Rtnl.NETLINK_CAP_ACK, Rtnl.NETLINK_GET_STRICT_CHK}) {
            try {
                setIntOption(Rtnl.SOL_NETLINK, option, 1);
            } catch (ErrnoException e) {
                log.debug("netlink socket option {} not available: {}", option, e.getMessage());
            }
        }
        // The kernel always answers a request; the timeout only guards against a bug leaving the thread blocked.
        MemorySegment timeval = arena.allocate(16, 8);
        timeval.set(JAVA_LONG, 0, RECEIVE_TIMEOUT_SECONDS);
        timeval.set(JAVA_LONG, 8, 0);
        Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval);
        MemorySegment local = sockaddrNl(0); // port id 0: the kernel picks a unique one
        local.set(JAVA_INT, 8, groups);
        Libc.bind(fd, local);
    }

    /** How long {@link #receiveAny()} waits before it fails with EAGAIN. */
    void receiveTimeout(java.time.Duration timeout) {
        MemorySegment timeval = arena.allocate(16, 8);
        timeval.set(JAVA_LONG, 0, timeout.toSeconds());
        timeval.set(JAVA_LONG, 8, timeout.toMillisPart() * 1000L);
        Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval);
    }

    private void setIntOption(int level, int option, int value) {
        MemorySegment v = arena.allocate(JAVA_INT);
        v.set(JAVA_INT, 0, value);
        Libc.setsockopt(fd, level, option, v);
    }

    private MemorySegment sockaddrNl(int pid) {
        MemorySegment sa = arena.allocate(12, 4);
        sa.set(JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
        sa.set(JAVA_INT, 4, pid);
        sa.set(JAVA_INT, 8, 0);
        return sa;
    }

    /**
     * Sends a request (which should carry NLM_F_ACK) and returns the messages that answer it before the
     * acknowledgement: none for a change, the object for a get. Throws {@link ErrnoException} on NLMSG_ERROR.
     */
    List<NetlinkMessage> request(NetlinkMessageBuilder request) {
        if (request.isDump()) {
            throw new IllegalArgumentException("use dump() for " + Rtnl.typeName(request.type()) + " dump requests");
        }
        return exchange(request).messages();
    }

    /**
     * Sends a dump request and returns every message of every part up to NLMSG_DONE. A dump the kernel marks
     * NLM_F_DUMP_INTR (the table changed while it was read) is inconsistent, so it is read again.
     */
    List<NetlinkMessage> dump(NetlinkMessageBuilder request) {
        if (!request.isDump()) {
            throw new IllegalArgumentException(Rtnl.typeName(request.type()) + " is not a dump request");
        }
        for (int attempt = 1; ; attempt++) {
            Exchange result = exchange(request);
            if (!result.interrupted()) {
                return result.messages();
            }
            if (attempt == DUMP_ATTEMPTS) {
                throw new ErrnoException(Errno.EAGAIN, "", Rtnl.typeName(request.type())
                        + " dump was interrupted by concurrent changes " + DUMP_ATTEMPTS + " times");
            }
            log.debug("{} dump interrupted by a concurrent change, reading again", Rtnl.typeName(request.type()));
        }
    }

    /**
     * Sends messages as one datagram, as nfnetlink wants a batch (BATCH_BEGIN ... BATCH_END), and waits for the
     * acknowledgement of every message that asks for one. A message that fails is answered with its error whether it
     * asked or not. The kernel processes the whole datagram before sendto returns, so once one message has failed
     * (and the batch with it) whatever else it answers is already queued and is drained without waiting. Throws the
     * first failure.
     */
    void batch(List<NetlinkMessageBuilder> messages) {
        java.io.ByteArrayOutputStream datagram = new java.io.ByteArrayOutputStream();
        java.util.Set<Integer> awaiting = new java.util.HashSet<>();
        java.util.Set<Integer> sent = new java.util.HashSet<>();
        for (NetlinkMessageBuilder m : messages) {
            int s = nextSeq();
            datagram.writeBytes(m.build(s));
            sent.add(s);
            if ((m.flags() & Rtnl.NLM_F_ACK) != 0) {
                awaiting.add(s);
            }
        }
        byte[] bytes = datagram.toByteArray();
        ensureSendBuffer(bytes.length);
        send(bytes);
        ErrnoException failure = null;
        while (!awaiting.isEmpty()) {
            List<NetlinkMessage> replies;
            try {
                replies = receive(failure == null ? 0 : Libc.MSG_DONTWAIT);
            } catch (ErrnoException e) {
                if (failure != null && e.errno() == Errno.EAGAIN) {
                    break; // nothing more was queued
                }
                throw e;
            }
            for (NetlinkMessage m : replies) {
                if (m.type() != Rtnl.NLMSG_ERROR || !sent.contains(m.seq())) {
                    continue; // not an answer to this batch
                }
                awaiting.remove(m.seq());
                NetlinkAck ack = NetlinkAck.parse(m);
                if (ack.errno() != 0 && failure == null) {
                    failure = new ErrnoException(ack.errno(), "", ack.message());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The kernel refuses a datagram larger than the socket's send buffer, and an nf_tables transaction must be one
     * datagram: grow the buffer to fit, as nft does. SO_SNDBUFFORCE passes the system's cap (net.core.wmem_max) and
     * needs CAP_NET_ADMIN, which the agent has; without it, SO_SNDBUF grows up to the cap.
     */
    private void ensureSendBuffer(int bytes) {
        int wanted = bytes + SEND_BUFFER_SLACK;
        if (wanted <= sendBufferSize) {
            return;
        }
        try {
            setIntOption(Libc.SOL_SOCKET, SO_SNDBUFFORCE, wanted);
        } catch (ErrnoException e) {
            setIntOption(Libc.SOL_SOCKET, Libc.SO_SNDBUF, wanted);
        }
        sendBufferSize = wanted;
    }

    private record Exchange(List<NetlinkMessage> messages, boolean interrupted) {}

    private Exchange exchange(NetlinkMessageBuilder request) {
        int mine = nextSeq();
        send(request.build(mine));
        boolean dump = request.isDump();
        boolean interrupted = false;
        List<NetlinkMessage> out = new ArrayList<>();
        while (true) {
            for (NetlinkMessage m : receive()) {
                if (m.seq() != mine) {
                    // Left over from an earlier request that failed half-way (a timeout); not ours to interpret.
                    log.debug("skipping netlink {} with sequence {} while waiting for {}", m, m.seq(), mine);
                    continue;
                }
                if ((m.flags() & Rtnl.NLM_F_DUMP_INTR) != 0) {
                    interrupted = true;
                }
                switch (m.type()) {
                    case Rtnl.NLMSG_NOOP -> {}
                    case Rtnl.NLMSG_ERROR -> {
                        NetlinkAck ack = NetlinkAck.parse(m);
                        if (ack.errno() != 0) {
                            throw new ErrnoException(ack.errno(), "", ack.message());
                        }
                        if (!dump) {
                            return new Exchange(out, interrupted);
                        }
                    }
                    case Rtnl.NLMSG_DONE -> {
                        // A dump that fails part-way reports the error as a negative int in NLMSG_DONE.
                        ByteBuffer p = m.payload();
                        int error = p.limit() >= 4 ? p.getInt(0) : 0;
                        if (error < 0) {
                            throw new ErrnoException(-error, "", "");
                        }
                        if (dump) {
                            return new Exchange(out, interrupted);
                        }
                    }
                    case Rtnl.NLMSG_OVERRUN -> throw new ErrnoException(Errno.EAGAIN, "", "netlink overrun");
                    default -> out.add(m);
                }
            }
        }
    }

    private int nextSeq() {
        seq = seq == Integer.MAX_VALUE ? 1 : seq + 1;
        return seq;
    }

    private void send(byte[] message) {
        if (sendBuffer.byteSize() < message.length) {
            sendBuffer = arena.allocate(Math.max(message.length, sendBuffer.byteSize() * 2), 8);
        }
        MemorySegment.copy(message, 0, sendBuffer, JAVA_BYTE, 0, message.length);
        long sent = Libc.sendto(fd, sendBuffer, message.length, kernelAddress);
        if (sent != message.length) {
            throw new ErrnoException(Errno.EAGAIN, "", "netlink sendto sent " + sent + " of " + message.length + " bytes");
        }
    }

    /**
     * The next datagram's messages, whatever they answer: for sockets that receive notifications (NFLOG) rather
     * than replies. Throws {@link ErrnoException} with EAGAIN when nothing came within the receive timeout.
     */
    List<NetlinkMessage> receiveAny() {
        return receive();
    }

    private List<NetlinkMessage> receive() {
        return receive(0);
    }

    /**
     * The next datagram's messages if one is waiting, else none, without blocking: for draining notifications.
     * Throws {@link ErrnoException} with ENOBUFS when notifications were lost because the receive buffer overflowed.
     */
    List<NetlinkMessage> receiveNow() {
        try {
            return receive(Libc.MSG_DONTWAIT);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EAGAIN) {
                return List.of();
            }
            throw e;
        }
    }

    private List<NetlinkMessage> receive(int flags) {
        long n;
        try {
            n = Libc.recvfrom(fd, receiveBuffer, receiveBuffer.byteSize(), Libc.MSG_TRUNC | flags);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EAGAIN) {
                throw new ErrnoException(Errno.EAGAIN, "", "no netlink reply within " + RECEIVE_TIMEOUT_SECONDS + " s");
            }
            throw e;
        }
        if (n > receiveBuffer.byteSize()) {
            // Lost: the rest of the datagram is gone. Grow so that a retry fits, and fail this request.
            receiveBuffer = arena.allocate(Rtnl.align((int) n), 8);
            throw new ErrnoException(Errno.EMSGSIZE, "", "netlink reply of " + n + " bytes did not fit the buffer");
        }
        byte[] data = receiveBuffer.asSlice(0, n).toArray(JAVA_BYTE);
        return NetlinkMessage.parseAll(ByteBuffer.wrap(data).order(ByteOrder.nativeOrder()));
    }

    @Override
    public void close() {
        Libc.close(fd);
        arena.close();
    }
}
