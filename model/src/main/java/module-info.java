/** Drover's resource model: the kinds, their validation and their codec. Depends on no other Drover module. */
module io.drover.model {
    requires transitive tools.jackson.databind;
    requires tools.jackson.dataformat.yaml;
    // ManifestReader reads the exact line and column of a YAML syntax error from the parser's exception.
    requires org.snakeyaml.engine;
    requires transitive com.fasterxml.jackson.annotation;

    exports io.drover.model;
    exports io.drover.model.meta;
    exports io.drover.model.tenant;
    exports io.drover.model.network;
    exports io.drover.model.node;
    exports io.drover.model.pod;
    exports io.drover.model.ipam;
    exports io.drover.model.policy;
    exports io.drover.model.firewall;
    exports io.drover.model.service;
    exports io.drover.model.net;
    exports io.drover.model.codec;
    exports io.drover.model.validation;

    opens io.drover.model to tools.jackson.databind;
    opens io.drover.model.meta to tools.jackson.databind;
    opens io.drover.model.tenant to tools.jackson.databind;
    opens io.drover.model.network to tools.jackson.databind;
    opens io.drover.model.node to tools.jackson.databind;
    opens io.drover.model.pod to tools.jackson.databind;
    opens io.drover.model.ipam to tools.jackson.databind;
    opens io.drover.model.policy to tools.jackson.databind;
    opens io.drover.model.firewall to tools.jackson.databind;
    opens io.drover.model.service to tools.jackson.databind;
    // Servers put validation and manifest problems into JSON error bodies.
    opens io.drover.model.codec to tools.jackson.databind;
    opens io.drover.model.validation to tools.jackson.databind;
}
