package io.drover.dns.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Type;

/**
 * The shared Kubernetes DNS schema vectors ({@code conformance/dns-k8s-schema.tsv} in the shared folder beside the
 * repository, a stable contract): one vector per line, five tab-separated columns (id, source, fixture, question,
 * expected); {@code #} starts a comment. Read by the tests that hold every vector: the answerer's (this module) and
 * the lab's, which asks from inside pods (the cli's).
 */
public final class SchemaVectors {

    /** Where the file is from a module's directory (the tests' working directory). */
    public static final Path FILE = Path.of("../../shared/conformance/dns-k8s-schema.tsv");

    /** One line: id, source (S spec, E e2e), fixture, question, expected. */
    public record Vector(String id, String src, String fixture, String question, String expected) {

        /** The question's name, its first word ({@code kubernetes.default.svc.cluster.local.}). */
        public String name() {
            return question.split(" ")[0];
        }

        /** The question's type, its last word, as a dnsjava type. */
        public int type() {
            String[] words = question.split(" ");
            return Type.value(words[words.length - 1]);
        }
    }

    private SchemaVectors() {}

    /** Every vector of {@code file}, in file order; a malformed line is an error naming it. */
    public static List<Vector> read(Path file) throws IOException {
        List<Vector> vectors = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException(file + ":" + n + ": a vector line has 5 tab-separated columns (id,"
                        + " source, fixture, question, expected), this one " + f.length);
            }
            vectors.add(new Vector(f[0], f[1], f[2], f[3], f[4]));
        }
        return vectors;
    }
}
