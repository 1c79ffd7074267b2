package io.drover.store.etcd;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every gRPC call to etcd a deadline, except the long-lived watch streams: jetcd sets none, so a call
 * to a member that accepted the connection but never answers would otherwise wait forever (and keep its
 * resources after the caller gave up). Each retry attempt jetcd makes is a new call with a new deadline.
 */
final class CallDeadlines implements ClientInterceptor {
    private static final String WATCH = "etcdserverpb.Watch/Watch";

    private final long millis;

    CallDeadlines(Duration timeout) {
        this.millis = timeout.toMillis();
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        if (options.getDeadline() == null && !WATCH.equals(method.getFullMethodName())) {
            options = options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS);
        }
        return next.newCall(method, options);
    }
}
