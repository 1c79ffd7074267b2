package io.drover.model.validation;

/**
 * One broken rule of one field.
 *
 * @param field   the path of the field, as {@code metadata.name}, {@code spec.subnets[1]} or
 *                {@code metadata.labels["app"]}; {@code ManifestReader}'s locations accept these paths
 * @param message what is wrong and what to write instead, phrased to follow the field:
 *                {@code "spec.mtu: must be between 576 and 9000; it is 100"}
 */
public record FieldError(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
