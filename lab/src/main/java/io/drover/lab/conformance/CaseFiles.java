package io.drover.lab.conformance;

import io.drover.policy.NamespacedName;
import io.drover.policy.conformance.CaseAction;
import io.drover.policy.conformance.CaseState;
import io.drover.policy.conformance.CaseStep;
import io.drover.policy.conformance.ConformanceCase;
import io.drover.policy.conformance.ConformanceCaseReader;
import io.drover.policy.conformance.ConformanceFormatException;
import io.drover.policy.conformance.ConformanceModel;
import io.drover.policy.conformance.Probe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * Reads conformance case files for a run, all of them before the lab starts, so that a mistake in one costs no lab:
 * with the policy module's strict reader, then checked as the model would run them (every policy reads as one
 * NetworkPolicy, none is created twice or updated before it exists, every matrix names pods of the model). Every
 * problem is reported as {@code FILE:LINE: where: what is wrong}, the line found from the YAML's own positions.
 */
public final class CaseFiles {

    private static final Pattern FIELD_PATH = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\[\\d+])*(\\.[A-Za-z][A-Za-z0-9_]*(\\[\\d+])*)*");

    private CaseFiles() {}

    /**
     * The cases of these files, in order; a directory stands for its {@code *.yaml} and {@code *.yml} files in name
     * order.
     *
     * @throws CaseFileException for the first file that cannot be read or is not a valid case; also when two files
     *                           have the same case id
     */
    public static List<ConformanceCase> readAll(List<Path> paths) {
        List<ConformanceCase> cases = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path file : expand(paths)) {
            ConformanceCase c = read(file);
            if (!ids.add(c.id())) {
                throw new CaseFileException(file + ": case id " + c.id() + " is used by an earlier file too; give each"
                        + " case its own id");
            }
            cases.add(c);
        }
        return cases;
    }

    /** @throws CaseFileException naming the file, the line and what to do */
    public static ConformanceCase read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CaseFileException(file + ": no such file; give the path of a case file or of a directory of them"
                    + " (the format: conformance/netpol/README.md)");
        } catch (IOException e) {
            throw new CaseFileException(file + ": cannot read it (" + e.getMessage() + ")");
        }
        return read(file.toString(), text);
    }

    /** Reads and checks one case's text, named {@code sourceName} in messages. */
    public static ConformanceCase read(String sourceName, String text) {
        ConformanceCase c;
        try {
            c = ConformanceCaseReader.read(sourceName, text);
        } catch (ConformanceFormatException e) {
            throw new CaseFileException(locate(sourceName, text, e), e);
        }
        check(sourceName, text, c);
        return c;
    }

    /** Runs the case's actions on the model with made-up addresses, and checks its matrices name model pods. */
    private static void check(String sourceName, String text, ConformanceCase c) {
        Set<NamespacedName> pods = Set.copyOf(ConformanceModel.podNames());
        CaseState state = CaseState.initial(ConformanceModel.synthetic());
        YamlLines lines = null;
        for (int i = 0; i < c.steps().size(); i++) {
            CaseStep step = c.steps().get(i);
            for (int j = 0; j < step.actions().size(); j++) {
                CaseAction action = step.actions().get(j);
                try {
                    state = state.apply(action);
                } catch (ConformanceFormatException e) {
                    lines = lines == null ? YamlLines.of(text) : lines;
                    String path = "steps[" + i + "].actions[" + j + "]";
                    String field = path + "." + actionField(action);
                    throw new CaseFileException(sourceName + ":" + lines.line(field) + ": " + field + ": "
                            + withinFile(sourceName, field, lines, stripSource(e.getMessage(), sourceName + " " + field)), e);
                }
            }
            for (int k = 0; k < step.probes().size(); k++) {
                Probe probe = step.probes().get(k);
                List<NamespacedName> unknown = Stream.concat(probe.expected().clients().stream(),
                        probe.expected().servers().stream()).filter(p -> !pods.contains(p)).distinct().toList();
                if (!unknown.isEmpty()) {
                    lines = lines == null ? YamlLines.of(text) : lines;
                    String field = "steps[" + i + "].probes[" + k + "].matrix";
                    throw new CaseFileException(sourceName + ":" + lines.line(field) + ": " + field + ": names "
                            + unknown + ", which the model does not have; its pods are " + ConformanceModel.podNames());
                }
            }
        }
    }

    private static String actionField(CaseAction action) {
        return switch (action) {
            case CaseAction.CreatePolicy p -> "createPolicy";
            case CaseAction.UpdatePolicy p -> "updatePolicy";
            case CaseAction.DeleteAllPolicies p -> "deleteAllPolicies";
            case CaseAction.AddNamespaceLabels p -> "addNamespaceLabels";
            case CaseAction.AddPodLabels p -> "addPodLabels";
        };
    }

    /** The reader's message ({@code SOURCE: PATH: what}) with the line of PATH put after the source. */
    static String locate(String sourceName, String text, ConformanceFormatException e) {
        String message = stripSource(e.getMessage(), sourceName);
        if (e.getCause() instanceof JacksonException yaml) {
            TokenStreamLocation where = yaml.getLocation();
            int line = where == null ? 0 : where.getLineNr();
            return sourceName + (line > 0 ? ":" + line : "") + ": " + message;
        }
        int colon = message.indexOf(": ");
        String path = colon < 0 ? "" : message.substring(0, colon);
        if (!FIELD_PATH.matcher(path).matches()) {
            return sourceName + ": " + message;
        }
        int line;
        try {
            line = YamlLines.of(text).line(path);
        } catch (RuntimeException unreadable) {
            line = 0;
        }
        return sourceName + (line > 0 ? ":" + line : "") + ": " + message;
    }

    /**
     * A policy's own errors name lines of its text ({@code SOURCE FIELD:3:5: ...}); within a block scalar
     ({@code createPolicy: |}) its line n is the file's line of the field plus n.
     */
    private static String withinFile(String sourceName, String field, YamlLines lines, String message) {
        int fieldLine = lines.line(field);
        Matcher m = Pattern.compile(Pattern.quote(sourceName + " " + field) + ":(\\d+):(\\d+)").matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = fieldLine > 0 && lines.isBlockScalar(field)
                    ? "line " + (fieldLine + Integer.parseInt(m.group(1)))
                    : "line " + m.group(1) + " of the policy";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String stripSource(String message, String sourceName) {
        String m = message == null ? "" : message;
        return m.startsWith(sourceName + ": ") ? m.substring(sourceName.length() + 2) : m;
    }

    private static List<Path> expand(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> listing = Files.list(path)) {
                    List<Path> yaml = listing.filter(p -> Files.isRegularFile(p))
                            .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                            .sorted().toList();
                    if (yaml.isEmpty()) {
                        throw new CaseFileException(path + ": a directory without case files (*.yaml); give case files"
                                + " or a directory that holds them");
                    }
                    files.addAll(yaml);
                } catch (IOException e) {
                    throw new CaseFileException(path + ": cannot list it (" + e.getMessage() + ")");
                }
            } else {
                files.add(path);
            }
        }
        return files;
    }
}
