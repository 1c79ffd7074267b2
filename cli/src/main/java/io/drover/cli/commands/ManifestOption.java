package io.drover.cli.commands;

import io.drover.cli.CliException;
import io.drover.cli.manifest.ManifestLoader;
import io.drover.cli.manifest.ManifestObjects;
import io.drover.model.Resource;
import io.drover.model.codec.Manifest;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code -f FILE|DIR|-}, repeatable, shared by apply and delete. */
public final class ManifestOption {

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR|-",
            description = "A manifest file, a directory of *.yaml/*.yml/*.json files, or - for standard input. Repeatable.")
    List<String> files = new ArrayList<>();

    /** Where each object was written, so that the server's field errors can point at the file and line. */
    private final Map<String, Manifest> sources = new HashMap<>();

    public boolean given() {
        return !files.isEmpty();
    }

    /**
     * Every object of every file, namespaced as {@code -n} says; throws {@link CliException} listing every problem
     * (or that there is nothing to do) before anything is sent.
     */
    public List<Resource> read(InputStream stdin, NamespaceOption namespace, String verb) {
        List<Manifest> manifests = new ManifestLoader(stdin).load(files);
        List<Resource> resources = ManifestObjects.prepare(manifests, namespace.effective(), namespace.explicit());
        for (Manifest m : manifests) {
            sources.putIfAbsent(sourceKey(m.resource()), m);
        }
        if (resources.isEmpty()) {
            throw new CliException("no objects passed to " + verb + " (the files hold no resources)");
        }
        return resources;
    }

    /** The manifest an object came from (the namespace is left out: -n may have filled it in since). */
    public Optional<Manifest> sourceOf(Resource resource) {
        return Optional.ofNullable(sources.get(sourceKey(resource)));
    }

    private static String sourceKey(Resource resource) {
        return resource.kind() + "/" + resource.name();
    }
}
