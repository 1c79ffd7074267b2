package io.drover.agent.kernel.linux;

import io.drover.agent.kernel.Link;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The links of one namespace, kept up to date from the kernel's link notifications instead of dumped on every read:
 * a dump of a node with a few hundred pods costs about 2 ms, the sync a CNI ADD waits for reads the node's links
 * once, and between two syncs usually one or two links changed. Runs only on its namespace's thread.
 *
 * <p>Subscribed before the first dump, so nothing that changes after the dump is missed (but for what the kernel
 * leaves unsaid about links that are down, see {@link #refreshDownLinks}); notifications queued
 * before it are applied after it, which is harmless: every change of a link is notified, in order, so once the queue
 * is drained each link that changed holds its newest state. When notifications were lost (the receive buffer
 * overflowed, ENOBUFS) or the caller's epoch moved on, the next read dumps again.
 */
final class LinkTracker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LinkTracker.class);
    /** Room for a burst of notifications (each about 1.5 KiB) between two reads: thousands of link changes. */
    static final int RECEIVE_BUFFER = 8 * 1024 * 1024;
    private static final int MAX_ROUNDS = 3;

    private final NetlinkSocket notifications;
    /** By interface index, which a link keeps for life; names change, indexes are not reused soon. */
    private final Map<Integer, RtnlReplies.LinkInfo> links = new TreeMap<>();
    private boolean current;
    private long epoch;
    private int dumps;

    private LinkTracker(NetlinkSocket notifications) {
        this.notifications = notifications;
    }

    /** Subscribes, in the calling thread's namespace; the first {@link #links} dumps. */
    static LinkTracker open() {
        return open(RECEIVE_BUFFER);
    }

    static LinkTracker open(int receiveBufferBytes) {
        return new LinkTracker(NetlinkSocket.subscribe(Rtnl.NETLINK_ROUTE, Rtnl.RTMGRP_LINK, receiveBufferBytes));
    }

    /**
     * The namespace's links now, as {@link RouteNetlink#links} would dump them.
     *
     * @param dumper  the namespace's request socket, for a dump when one is needed
     * @param epoch   a number that, when it differs from the one of the last read, makes this read dump again
     */
    List<Link> links(RouteNetlink dumper, long epoch) {
        if (epoch != this.epoch) {
            current = false;
            this.epoch = epoch;
        }
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (!current) {
                links.clear();
                for (RtnlReplies.LinkInfo info : dumper.linkInfos()) {
                    links.put(info.index(), info);
                }
                current = true;
                dumps++;
            }
            try {
                drain();
                refreshDownLinks(dumper);
                return RtnlReplies.resolved(links.values());
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENOBUFS) {
                    throw e;
                }
                log.debug("link notifications were lost (receive buffer full); dumping the links again");
                current = false;
            }
        }
        // Changes faster than a dump can be followed: answer with a dump of its own.
        return dumper.links();
    }

    /**
     * The kernel notifies some changes of a link only while it is up (an alias, set after the create in a request
     * of its own): a link that is down is read again, by itself. Few links of a node are down, and not for long.
     */
    private void refreshDownLinks(RouteNetlink dumper) {
        List<Integer> down = links.values().stream().filter(l -> !l.up()).map(RtnlReplies.LinkInfo::index).toList();
        for (int index : down) {
            dumper.linkInfo(index).ifPresentOrElse(info -> links.put(index, info), () -> links.remove(index));
        }
    }

    /** Applies every notification waiting. */
    private void drain() {
        while (true) {
            List<NetlinkMessage> messages = notifications.receiveNow();
            if (messages.isEmpty()) {
                return;
            }
            for (NetlinkMessage m : messages) {
                apply(m);
            }
        }
    }

    private void apply(NetlinkMessage m) {
        if (m.type() != Rtnl.RTM_NEWLINK && m.type() != Rtnl.RTM_DELLINK) {
            return;
        }
        IfInfoMsg header = IfInfoMsg.read(m.payload());
        // A bridge's port notifications (family AF_BRIDGE) describe its ports' bridge settings, not the links.
        if (header.family() == Rtnl.AF_BRIDGE) {
            return;
        }
        if (m.type() == Rtnl.RTM_DELLINK) {
            links.remove(header.index());
        } else {
            links.put(header.index(), RtnlReplies.link(m));
        }
    }

    /** How many times this tracker dumped the links (for tests and diagnostics). */
    int dumps() {
        return dumps;
    }

    @Override
    public void close() {
        notifications.close();
    }
}
