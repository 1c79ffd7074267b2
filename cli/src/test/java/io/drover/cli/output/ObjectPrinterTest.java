package io.drover.cli.output;

import static io.drover.cli.output.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.codec.Manifest;
import io.drover.model.codec.ManifestReader;
import io.drover.model.codec.ResourceCodec;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ObjectPrinterTest {

    private final Resource web = parse(ResourceKind.POD, Fixtures.WEB_1);
    private final Resource db = parse(ResourceKind.POD, Fixtures.DB_1);

    @Test
    void yamlOfOneObjectReadsBackAsTheSameObject() {
        String yaml = ObjectPrinter.object(web, OutputFormat.YAML);

        assertThat(yaml).startsWith("apiVersion: drover.io/v1\nkind: Pod\n").endsWith("\n");
        Resource readBack = parse(ResourceKind.POD, yaml);
        assertThat(readBack).isEqualTo(web);
    }

    @Test
    void yamlReadsBackThroughTheManifestReaderEvenWithNumberLikeStrings() {
        Resource tricky = web.withMetadata(web.metadata().withLabels(java.util.Map.of("version", "123", "canary", "true")));

        String yaml = ObjectPrinter.list(List.of(tricky, db), "42", OutputFormat.YAML);

        assertThat(yaml).contains("resourceVersion: \"7\"", "version: \"123\"");
        assertThat(ManifestReader.read("out.yaml", yaml)).extracting(Manifest::resource).containsExactly(tricky, db);
    }

    @Test
    void aListIsAKubernetesListWithItems() {
        JsonNode list = ResourceCodec.json().readTree(ObjectPrinter.list(List.of(web, db), "42", OutputFormat.JSON));

        assertThat(list.path("kind").asString()).isEqualTo("List");
        assertThat(list.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(list.path("metadata").path("resourceVersion").asString()).isEqualTo("42");
        assertThat(list.path("items").values()).extracting(i -> i.path("metadata").path("name").asString())
                .containsExactly("web-1", "db-1");
    }

    @Test
    void anEmptyListStillHasItems() {
        String yaml = ObjectPrinter.list(List.of(), "", OutputFormat.YAML);

        assertThat(yaml).contains("kind: List").contains("items: []");
    }

    @Test
    void namesAreKindSlashName() {
        assertThat(ObjectPrinter.list(List.of(web, db), "1", OutputFormat.NAME)).isEqualTo("pod/web-1\npod/db-1\n");
        assertThat(ObjectPrinter.object(parse(ResourceKind.NETWORK, Fixtures.BLUE), OutputFormat.NAME)).isEqualTo("network/blue\n");
    }

    @Test
    void outputFormatsNameTheAllowedValues() {
        assertThat(OutputFormat.parse("wide")).isEqualTo(OutputFormat.WIDE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputFormat.parse("table"))
                .hasMessage("unknown output format \"table\"; allowed values: wide, yaml, json, name");
    }
}
