package io.drover.cni;

/**
 * The semantics of CNI, implemented by the node agent. {@link CniDispatcher} has already checked the environment,
 * the configuration and the version when a method is called, and turns what it returns or throws into the
 * specification's output. Any exception other than {@link CniError} becomes error 999 with its message.
 *
 * <p>Runtimes never run two operations on one container at once, but do run operations on different containers
 * concurrently: implementations must be thread-safe.
 */
public interface CniHandler {

    /**
     * Attaches the container to {@code request.config().network()} through an interface named
     * {@code request.ifName()} in {@code request.netns()}, publishes {@code runtimeConfig.portMappings}, and says what
     * it made. The interface inside the container must be listed with its {@code sandbox} set to the netns path and
     * its addresses must point at it, so that chained plugins (portmap, tuning, bandwidth) find them.
     */
    CniResult add(CniRequest request) throws CniError;

    /**
     * Detaches and releases everything ADD made for (network, container id, interface name). Idempotent: succeeds
     * when some or all of it is already gone, when the namespace no longer exists, and without a prevResult.
     */
    void del(CniRequest request) throws CniError;

    /**
     * Verifies that what ADD made (as listed in {@code request.config().prevResult()}, always present here) still
     * exists and is right; throws a CniError saying what is missing or wrong (code 3 when the attachment is not
     * known at all, e.g. CHECK after DEL: the runtime then has nothing to clean up).
     */
    void check(CniRequest request) throws CniError;

    /**
     * Says whether the plugin can serve ADD now: returns normally when ready, else throws code 50 (not available) or
     * 51 (not available and existing containers may have limited connectivity). Only {@code request.config()} and
     * {@code request.path()} are set.
     */
    void status(CniRequest request) throws CniError;

    /**
     * Releases every attachment on {@code request.config().network()} whose (container id, interface name) is not in
     * {@code request.config().validAttachments()}. Only {@code request.config()} and {@code request.path()} are set.
     */
    void gc(CniRequest request) throws CniError;
}
