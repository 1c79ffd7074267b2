package io.drover.cli.apply;

import io.drover.api.client.ApiError;
import io.drover.api.client.DroverClient;
import io.drover.model.Resource;

/**
 * Applies one object: reads the server's copy, decides, then creates or replaces it. A conflict means someone
 * else (often a controller writing status) changed the object between the read and the write; apply means "make
 * it so", so it reads again and retries a few times before giving up.
 */
public final class Applier {

    static final int ATTEMPTS = 3;

    private final DroverClient client;

    public Applier(DroverClient client) {
        this.client = client;
    }

    /** Throws the server's {@link ApiError} when it refuses the object. */
    public ApplyOutcome apply(Resource desired) {
        for (int attempt = 1; ; attempt++) {
            try {
                return applyOnce(desired);
            } catch (ApiError e) {
                if (!e.isConflict() || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private ApplyOutcome applyOnce(Resource desired) {
        ApplyAction action = ApplyDecision.decide(desired, client.find(desired.resourceKind(), desired.namespace(), desired.name()));
        return switch (action) {
            case ApplyAction.Create(Resource object) -> {
                client.create(object);
                yield ApplyOutcome.CREATED;
            }
            case ApplyAction.Replace(Resource object) -> {
                client.replace(object);
                yield ApplyOutcome.CONFIGURED;
            }
            case ApplyAction.Unchanged() -> ApplyOutcome.UNCHANGED;
        };
    }
}
