package io.drover.policy.conformance;

import io.drover.model.codec.Manifest;
import io.drover.model.codec.ManifestException;
import io.drover.model.codec.ManifestReader;
import io.drover.model.policy.NetworkPolicy;
import java.util.Objects;

/**
 * A NetworkPolicy as a case writes it: YAML text that may hold placeholders, so it is only read once the model's
 * addresses are known.
 *
 * @param sourceName where it is written, e.g. {@code NP14.yaml steps[0].actions[0].createPolicy}, for messages
 */
public record PolicyTemplate(String sourceName, String text) {

    public PolicyTemplate {
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(text, "text");
    }

    /** @throws ConformanceFormatException when the text, its placeholders filled, is not one NetworkPolicy */
    public NetworkPolicy render(ConformanceModel model) {
        String filled;
        try {
            filled = Placeholders.substitute(text, model);
        } catch (IllegalArgumentException e) {
            throw new ConformanceFormatException(sourceName + ": " + e.getMessage(), e);
        }
        Manifest manifest;
        try {
            manifest = ManifestReader.readSingle(sourceName, filled);
        } catch (ManifestException e) {
            throw new ConformanceFormatException(e.getMessage(), e);
        }
        if (!(manifest.resource() instanceof NetworkPolicy policy)) {
            throw new ConformanceFormatException(sourceName + ": expected a NetworkPolicy, found a " + manifest.resource().kind());
        }
        return policy;
    }
}
