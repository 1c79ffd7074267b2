package io.drover.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.cli.CliException;
import io.drover.model.codec.Manifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {

    @TempDir
    Path dir;

    private static String network(String name) {
        return "apiVersion: drover.io/v1\nkind: Network\nmetadata: {name: " + name + "}\nspec: {subnets: [\"10.1.0.0/16\"]}\n";
    }

    private static List<String> names(List<Manifest> manifests) {
        return manifests.stream().map(m -> m.resource().name()).toList();
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static ManifestLoader loader(String stdin) {
        return new ManifestLoader(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aDirectoryGivesItsYamlYmlAndJsonFilesInNameOrder() throws IOException {
        write("b.yml", network("b"));
        write("a.yaml", network("a1") + "---\n" + network("a2"));
        write("c.json", "{\"apiVersion\":\"drover.io/v1\",\"kind\":\"Network\",\"metadata\":{\"name\":\"c\"},\"spec\":{\"subnets\":[\"10.3.0.0/16\"]}}");
        write("notes.txt", "not a manifest");
        write("sub/d.yaml", network("d"));

        assertThat(names(loader("").load(List.of(dir.toString())))).containsExactly("a1", "a2", "b", "c");
    }

    @Test
    void filesAndStdinInArgumentOrder() throws IOException {
        Path file = write("x.anything", network("from-file"));

        List<Manifest> manifests = loader(network("from-stdin")).load(List.of("-", file.toString()));

        assertThat(names(manifests)).containsExactly("from-stdin", "from-file");
        assertThat(manifests.getFirst().sourceName()).isEqualTo("<stdin>");
    }

    @Test
    void everyProblemOfEveryFileIsReportedWithItsLocation() throws IOException {
        Path good = write("good.yaml", network("fine"));
        Path bad = write("bad.yaml", network("one") + "---\napiVersion: drover.io/v1\nkind: Network\nmetadata: {name: two}\nspec: {subnetz: []}\n");
        Path broken = write("broken.yaml", "kind: Network\nmetadata: {name: [unclosed\n");

        assertThatThrownBy(() -> loader("").load(List.of(good.toString(), bad.toString(), broken.toString(), dir.resolve("missing.yaml").toString())))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(3);
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(bad + ":9:").contains("subnetz"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).matches(java.util.regex.Pattern.quote(broken.toString()) + ":\\d+:\\d+: .*"));
                    assertThat(e.problems()).contains("the path \"" + dir.resolve("missing.yaml") + "\" does not exist");
                });
    }

    @Test
    void stdinCanBeReadOnlyOnce() {
        assertThatThrownBy(() -> loader(network("a")).load(List.of("-", "-")))
                .hasMessage("\"-f -\" is given twice; standard input can be read only once");
    }

    @Test
    void anUnreadableStdinIsReported() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("closed");
            }
        };

        assertThatThrownBy(() -> new ManifestLoader(failing).load(List.of("-"))).hasMessage("cannot read standard input: closed");
    }
}
