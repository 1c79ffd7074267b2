package io.drover.cli.manifest;

import io.drover.cli.CliException;
import io.drover.model.codec.ManifestException;
import io.drover.model.codec.ManifestReader;
import io.drover.model.codec.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads the manifests named by {@code -f} arguments: a file, a directory (its *.yaml, *.yml and *.json files in
 * name order, not recursing) or {@code -} (standard input). Everything is read before anything is sent, and every
 * problem in every file is collected, so that a typo in the third file stops the run before the first file's
 * objects reach the server, and the user sees all typos at once.
 */
public final class ManifestLoader {

    public static final String STDIN = "-";
    static final String STDIN_NAME = "<stdin>";
    private static final List<String> EXTENSIONS = List.of(".yaml", ".yml", ".json");

    private final InputStream stdin;

    public ManifestLoader(InputStream stdin) {
        this.stdin = stdin;
    }

    /** The manifests of all arguments, in argument order; throws {@link CliException} listing every problem. */
    public List<Manifest> load(List<String> arguments) {
        List<Manifest> manifests = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean stdinRead = false;
        for (String argument : arguments) {
            if (argument.equals(STDIN)) {
                if (stdinRead) {
                    problems.add("\"-f -\" is given twice; standard input can be read only once");
                    continue;
                }
                stdinRead = true;
                readStdin(manifests, problems);
                continue;
            }
            for (Path file : files(Path.of(argument), problems)) {
                readFile(file, manifests, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new CliException(problems);
        }
        return manifests;
    }

    private List<Path> files(Path path, List<String> problems) {
        if (Files.isDirectory(path)) {
            try (Stream<Path> entries = Files.list(path)) {
                return entries.filter(Files::isRegularFile).filter(ManifestLoader::isManifestName).sorted().toList();
            } catch (IOException e) {
                problems.add("cannot list the directory \"" + path + "\": " + e.getMessage());
                return List.of();
            }
        }
        if (!Files.exists(path)) {
            problems.add("the path \"" + path + "\" does not exist");
            return List.of();
        }
        return List.of(path);
    }

    private static boolean isManifestName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private void readFile(Path file, List<Manifest> manifests, List<String> problems) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            problems.add(file + ": is not UTF-8 text; save it as UTF-8");
            return;
        } catch (IOException e) {
            problems.add("cannot read \"" + file + "\": " + e.getMessage());
            return;
        }
        parse(file.toString(), text, manifests, problems);
    }

    private void readStdin(List<Manifest> manifests, List<String> problems) {
        String text;
        try {
            text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add("cannot read standard input: " + e.getMessage());
            return;
        }
        parse(STDIN_NAME, text, manifests, problems);
    }

    private static void parse(String sourceName, String text, List<Manifest> manifests, List<String> problems) {
        try {
            manifests.addAll(ManifestReader.read(sourceName, text));
        } catch (ManifestException e) {
            e.problems().forEach(problem -> problems.add(problem.toString()));
        } catch (UncheckedIOException e) {
            problems.add(sourceName + ": " + e.getMessage());
        }
    }
}
