/** Drover's resource model: the kinds, their validation and their codec. Depends on no other Drover module. */
module io.drover.model {
    requires transitive tools.jackson.databind;
    requires tools.jackson.dataformat.yaml;
    requires transitive com.fasterxml.jackson.annotation;

    exports io.drover.model;
    exports io.drover.model.meta;
    exports io.drover.model.tenant;
    exports io.drover.model.network;
    exports io.drover.model.node;
    exports io.drover.model.pod;
    exports io.drover.model.net;
    exports io.drover.model.codec;

    opens io.drover.model to tools.jackson.databind;
    opens io.drover.model.meta to tools.jackson.databind;
    opens io.drover.model.tenant to tools.jackson.databind;
    opens io.drover.model.network to tools.jackson.databind;
    opens io.drover.model.node to tools.jackson.databind;
    opens io.drover.model.pod to tools.jackson.databind;
}
