package io.drover.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.model.network.Network;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus.PodAddress;
import io.drover.model.validation.Validators;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example manifests of DESIGN.md ("the shapes users, tests and the lab write") are a contract: they must
 * read and validate without a single problem. A copy lives in the test resources; when the design document
 * is beside the repository, its current block must be the same.
 */
class DesignExamplesTest {

    private static final Path DESIGN = Path.of("../../shared/DESIGN.md");

    private static String copy() throws IOException {
        try (InputStream in = DesignExamplesTest.class.getResourceAsStream("/design-examples.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void examplesReadAndValidateCleanly() throws IOException {
        List<Manifest> manifests = ManifestReader.read("DESIGN.md", copy());
        assertThat(manifests).extracting(m -> m.resource().kind()).containsExactly("Network", "Pod");
        for (Manifest m : manifests) {
            assertThat(Validators.validate(m.resource())).as(m.start().toString()).isEmpty();
        }
        Network blue = (Network) manifests.get(0).resource();
        assertThat(blue.spec().subnets()).containsExactly("10.10.0.0/16", "fd00:10::/64");
        assertThat(blue.spec().natOutgoingEnabled()).isTrue();
        Pod web = (Pod) manifests.get(1).resource();
        assertThat(web.spec().ports()).singleElement().satisfies(p -> assertThat(p.hostPort()).isEqualTo(8080));
        assertThat(web.status().addresses()).containsExactly(new PodAddress("blue", "eth0", "10.10.0.7", 16, "10.10.0.1"));
    }

    @Test
    void copyMatchesTheDesignDocument() throws IOException {
        assumeTrue(Files.exists(DESIGN), "DESIGN.md is not beside the repository");
        String design = Files.readString(DESIGN);
        int section = design.indexOf("## Example manifests");
        assertThat(section).as("DESIGN.md has an Example manifests section").isNotNegative();
        int start = design.indexOf("```yaml\n", section) + "```yaml\n".length();
        String block = design.substring(start, design.indexOf("```", start));
        assertThat(copy()).as("src/test/resources/design-examples.yaml mirrors DESIGN.md").isEqualTo(block);
    }
}
