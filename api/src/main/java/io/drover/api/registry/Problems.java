package io.drover.api.registry;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Cause;
import io.drover.api.ApiException.Reason;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import java.util.List;
import java.util.stream.Collectors;

/** The registry's refusals, worded once so that every path says the same thing. */
final class Problems {

    private Problems() {}

    static String describe(ResourceKind kind, String namespace, String name) {
        return ApiException.describe(kind, namespace, name);
    }

    static ApiException alreadyExists(ResourceKind kind, String namespace, String name) {
        return new ApiException(Reason.ALREADY_EXISTS, describe(kind, namespace, name)
                + " already exists; use replace (drover apply) to change it, or delete it first");
    }

    static ApiException conflict(ResourceKind kind, String namespace, String name, String sent, long current) {
        return new ApiException(Reason.CONFLICT, "Operation cannot be fulfilled on " + describe(kind, namespace, name)
                + ": the object has been modified (you sent resourceVersion " + sent + ", the current one is "
                + current + "); read the latest version, apply your changes to it and try again");
    }

    static ApiException invalid(Resource resource, List<Cause> causes) {
        String what = resource.kind() + " \"" + resource.name() + "\"";
        String detail = causes.stream().map(c -> c.field() + ": " + c.message()).collect(Collectors.joining("; "));
        return new ApiException(Reason.INVALID, what + " is invalid: " + detail, causes);
    }

    static ApiException invalid(Resource resource, String field, String message) {
        return invalid(resource, List.of(new Cause(field, message)));
    }
}
