package io.drover.agent.cni;

import io.drover.api.ApiException;
import io.drover.cni.CniError;
import java.util.stream.Collectors;

/** What a refusal of the Drover API means to a CNI runtime: the same condition always gets the same code. */
final class RegistryErrors {

    private RegistryErrors() {}

    /**
     * @param doing what the agent was doing, e.g. "create pod shop/web-1"
     */
    static CniError toCni(RuntimeException e, String doing) {
        if (!(e instanceof ApiException api)) {
            return new CniError(CniError.INTERNAL, "cannot " + doing, describe(e));
        }
        String details = api.getMessage() + (api.causes().isEmpty() ? "" : ": " + api.causes().stream()
                .map(c -> c.field() + " " + c.message()).collect(Collectors.joining("; ")));
        return switch (api.reason()) {
            // The request itself is wrong (a network that does not exist, a port declared twice): fix the config.
            case INVALID, BAD_REQUEST -> CniError.invalidConfig("cannot " + doing + ": " + details);
            // Unavailable or raced: the runtime's retry will do.
            case SERVICE_UNAVAILABLE, CONFLICT, GONE -> new CniError(CniError.TRY_AGAIN_LATER,
                    "the Drover API cannot " + doing + " now", details);
            default -> new CniError(CniError.INTERNAL, "cannot " + doing, details);
        };
    }

    static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
