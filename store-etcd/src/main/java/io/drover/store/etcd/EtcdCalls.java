package io.drover.store.etcd;

import io.drover.store.StoreException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs calls to etcd with a bound on their time, and turns every way they fail into a {@link StoreException}
 * that names the endpoints and says what to do (the API answers those with 503).
 */
final class EtcdCalls {
    /** Past the per-attempt gRPC deadline, so that etcd's own timeout (the clearer error) normally comes first. */
    private static final long GRACE_MILLIS = 500;

    /**
     * A call that etcd answered with an error, or that could not reach etcd: a {@link StoreException} whose
     * gRPC status code and etcd message let the store recognize the errors it gives its own meaning.
     */
    static final class Failure extends StoreException {
        private final Status.Code code;
        private final String etcdMessage;

        Failure(String message, Status.Code code, String etcdMessage, Throwable cause) {
            super(message, cause);
            this.code = code;
            this.etcdMessage = etcdMessage;
        }

        Status.Code code() {
            return code;
        }

        /** etcd's own words, e.g. "etcdserver: requested lease not found". */
        String etcdMessage() {
            return etcdMessage;
        }

        boolean is(Status.Code code, String messagePart) {
            return this.code == code && etcdMessage.contains(messagePart);
        }
    }

    private final String endpoints;
    private final Duration timeout;

    EtcdCalls(String endpoints, Duration timeout) {
        this.endpoints = endpoints;
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Starts a call and waits for its answer, at most the request timeout (jetcd's retries included).
     *
     * @param what what the call does, for messages: "reading /k", "committing a transaction"
     * @throws Failure when etcd answered with an error or could not be reached in time
     */
    <T> T await(String what, boolean write, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            throw failure(what, write, e);
        }
        try {
            return future.get(timeout.toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw failure(what, write, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new Failure(timeoutMessage(what, write, "no answer"), Status.Code.DEADLINE_EXCEEDED, "", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while " + what + " on etcd at " + endpoints, e);
        }
    }

    /** Maps a failed call (or one that failed to start) to a {@link Failure}. */
    Failure failure(String what, boolean write, Throwable error) {
        Throwable e = unwrap(error);
        Status.Code code = code(e);
        String etcdMessage = etcdMessage(e);
        String detail = detail(e, etcdMessage);
        String message = switch (code) {
            case UNAVAILABLE -> "etcd is unavailable at " + endpoints + " (" + detail + ") while " + what
                    + ": check that the etcd members are running and reachable from this host, and that the endpoints"
                    + " and TLS settings are right" + (write ? "; the write was not applied or may have been" : "");
            case DEADLINE_EXCEEDED -> timeoutMessage(what, write, detail);
            case RESOURCE_EXHAUSTED -> etcdMessage.contains("space exceeded")
                    ? "etcd at " + endpoints + " is out of space (" + detail + ") while " + what
                            + ": compact and defragment it or raise its --quota-backend-bytes, then disarm its NOSPACE alarm"
                    : "etcd at " + endpoints + " refused " + what + " (" + detail + ")";
            case UNAUTHENTICATED, PERMISSION_DENIED -> "etcd at " + endpoints + " refused " + what + " (" + detail
                    + "): check the client certificate and the user's permissions";
            case CANCELLED -> "the call to etcd at " + endpoints + " was cancelled while " + what + " (" + detail
                    + ")";
            default -> "etcd at " + endpoints + " failed " + what + ": " + detail + limitHint(etcdMessage);
        };
        return new Failure(message, code, etcdMessage, e);
    }

    /** etcd's request limits, named so that whoever meets one knows which flag sets it. */
    private static String limitHint(String etcdMessage) {
        if (etcdMessage.contains("too many operations")) {
            return " (etcd's --max-txn-ops, 128 by default)";
        }
        if (etcdMessage.contains("request is too large")) {
            return " (etcd's --max-request-bytes, 1.5 MiB by default)";
        }
        return "";
    }

    private String timeoutMessage(String what, boolean write, String detail) {
        return "etcd at " + endpoints + " did not answer within " + timeout.toMillis() + " ms while " + what + " ("
                + detail + "): it may be down, unreachable, overloaded or without a leader; check "
                + "'etcdctl endpoint health'" + (write ? "; the write may or may not have been applied" : "");
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static Status.Code code(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EtcdException etcd) {
                return Status.Code.valueOf(etcd.getErrorCode().name());
            }
            if (t instanceof TimeoutException) {
                return Status.Code.DEADLINE_EXCEEDED;
            }
        }
        Status.Code code = Status.fromThrowable(e).getCode();
        return code;
    }

    private static String etcdMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EtcdException || t instanceof io.grpc.StatusRuntimeException
                    || t instanceof io.grpc.StatusException) {
                return t.getMessage() == null ? "" : t.getMessage();
            }
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** etcd's message, plus the root cause when it says more (e.g. "Connection refused: /127.0.0.1:2379"). */
    private static String detail(Throwable e, String etcdMessage) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String rootMessage = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        if (root == e || etcdMessage.contains(root.getMessage() == null ? rootMessage : root.getMessage())) {
            return etcdMessage.isEmpty() ? rootMessage : etcdMessage;
        }
        return (etcdMessage.isEmpty() ? "" : etcdMessage + ": ") + rootMessage;
    }
}
