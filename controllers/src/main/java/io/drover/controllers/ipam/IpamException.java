package io.drover.controllers.ipam;

import io.drover.api.ApiException;

/** An allocation that cannot be made. Nothing was written when this is thrown. */
public class IpamException extends RuntimeException {

    public enum Reason {
        /** The network does not exist (yet). */
        NETWORK_NOT_FOUND(ApiException.Reason.NOT_FOUND),
        /** The network has no free address of a family it needs. */
        EXHAUSTED(ApiException.Reason.CONFLICT),
        /** The request or the network's configuration cannot be served as it is. */
        INVALID(ApiException.Reason.INVALID),
        /** Other writers kept changing the same blocks; retrying later will do. */
        CONTENDED(ApiException.Reason.SERVICE_UNAVAILABLE);

        private final ApiException.Reason apiReason;

        Reason(ApiException.Reason apiReason) {
            this.apiReason = apiReason;
        }
    }

    private final Reason reason;

    public IpamException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The same refusal in the registry's vocabulary, for the REST layer. */
    public ApiException toApiException() {
        return new ApiException(reason.apiReason, getMessage());
    }
}
