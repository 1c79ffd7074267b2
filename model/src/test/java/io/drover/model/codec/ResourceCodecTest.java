package io.drover.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

class ResourceCodecTest {

    private static JsonNode json(String text) {
        return ResourceCodec.json().readTree(text);
    }

    /** The examples of RFC 7386, appendix A. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"a\":\"b\"}                | {\"a\":\"c\"}                        | {\"a\":\"c\"}",
            "{\"a\":\"b\"}                | {\"b\":\"c\"}                        | {\"a\":\"b\",\"b\":\"c\"}",
            "{\"a\":\"b\"}                | {\"a\":null}                         | {}",
            "{\"a\":\"b\",\"b\":\"c\"}    | {\"a\":null}                         | {\"b\":\"c\"}",
            "{\"a\":[\"b\"]}              | {\"a\":\"c\"}                        | {\"a\":\"c\"}",
            "{\"a\":\"c\"}                | {\"a\":[\"b\"]}                      | {\"a\":[\"b\"]}",
            "{\"a\":{\"b\":\"c\"}}        | {\"a\":{\"b\":\"d\",\"c\":null}}     | {\"a\":{\"b\":\"d\"}}",
            "{\"a\":[{\"b\":\"c\"}]}      | {\"a\":[1]}                          | {\"a\":[1]}",
            "[\"a\",\"b\"]                | [\"c\",\"d\"]                        | [\"c\",\"d\"]",
            "{\"a\":\"b\"}                | [\"c\"]                              | [\"c\"]",
            "{\"a\":\"foo\"}              | null                                 | null",
            "{\"a\":\"foo\"}              | \"bar\"                              | \"bar\"",
            "{\"e\":null}                 | {\"a\":1}                            | {\"e\":null,\"a\":1}",
            "[1,2]                        | {\"a\":\"b\",\"c\":null}             | {\"a\":\"b\"}",
            "{}                           | {\"a\":{\"bb\":{\"ccc\":null}}}      | {\"a\":{\"bb\":{}}}",
    })
    void mergePatchFollowsRfc7386(String target, String patch, String result) {
        JsonNode original = json(target);
        assertThat(ResourceCodec.mergePatch(original, json(patch))).isEqualTo(json(result));
        assertThat(original).as("the target is not changed").isEqualTo(json(target));
    }

    @Test
    void mergePatchOntoNothingBuildsTheObject() {
        assertThat(ResourceCodec.mergePatch(null, json("{\"a\":{\"b\":1,\"c\":null}}"))).isEqualTo(json("{\"a\":{\"b\":1}}"));
    }

    @Test
    void mergePatchOfAResourceChangesOnlyWhatItNames() {
        Network blue = Network.of(ObjectMeta.named("blue"), new NetworkSpec(java.util.List.of("10.10.0.0/16"), null, null, null, true, 1500));
        JsonNode patched = ResourceCodec.mergePatch(ResourceCodec.tree(blue), json("{\"spec\":{\"mtu\":9000,\"natOutgoing\":null}}"));
        Network result = ResourceCodec.fromTree(patched, ResourceKind.NETWORK);
        assertThat(result.spec()).isEqualTo(new NetworkSpec(java.util.List.of("10.10.0.0/16"), null, null, null, null, 9000));
        assertThat(result.metadata()).isEqualTo(blue.metadata());
    }

    @Test
    void jsonLeavesOutWhatIsNotSet() {
        Pod pod = Pod.of(ObjectMeta.named("shop", "web"), PodSpec.on("node-1", "blue"));
        assertThat(ResourceCodec.toJsonString(pod)).isEqualTo("{\"apiVersion\":\"drover.io/v1\",\"kind\":\"Pod\","
                + "\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"},\"spec\":{\"node\":\"node-1\",\"networks\":[\"blue\"]}}");
        assertThat(ResourceCodec.<Pod>fromJson(ResourceCodec.toJson(pod), ResourceKind.POD)).isEqualTo(pod);
    }

    @Test
    void yamlHasNoDocumentMarker() {
        String yaml = ResourceCodec.toYaml(Network.of(ObjectMeta.named("blue"), NetworkSpec.of("10.10.0.0/16")));
        assertThat(yaml).startsWith("apiVersion: drover.io/v1\nkind: Network\n").doesNotContain("---");
    }

    @Test
    void strictDecodingRefusesUnknownFields() {
        assertThatThrownBy(() -> ResourceCodec.fromJson(
                "{\"kind\":\"Pod\",\"spec\":{\"prots\":[]}}".getBytes(java.nio.charset.StandardCharsets.UTF_8), ResourceKind.POD))
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining("prots");
    }
}
