package io.drover.dns.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

class SchemaVectorsTest {

    @TempDir
    Path dir;

    @Test
    void commentsAndBlankLinesAreSkippedAndTheQuestionSplitsIntoNameAndType() throws Exception {
        Path file = Files.writeString(dir.resolve("v.tsv"), "# Columns: id\tsrc\tfixture\tquestion\texpected\n\n"
                + "D02\tS\tsvc kubernetes/default\tkubernetes.default.svc.cluster.local. IN A\tNOERROR; A 10.3.0.1\n");
        SchemaVectors.Vector v = SchemaVectors.read(file).getFirst();
        assertThat(SchemaVectors.read(file)).hasSize(1);
        assertThat(v.id()).isEqualTo("D02");
        assertThat(v.name()).isEqualTo("kubernetes.default.svc.cluster.local.");
        assertThat(v.type()).isEqualTo(Type.A);
    }

    @Test
    void aLineWithoutFiveColumnsNamesItsPlace() throws Exception {
        Path file = Files.writeString(dir.resolve("v.tsv"), "# header\nD01\tS\tzone\tdns-version IN TXT\n");
        assertThatThrownBy(() -> SchemaVectors.read(file)).hasMessageContaining("v.tsv:2: a vector line has 5"
                + " tab-separated columns").hasMessageContaining("this one 4");
    }
}
