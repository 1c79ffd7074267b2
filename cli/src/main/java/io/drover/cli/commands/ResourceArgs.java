package io.drover.cli.commands;

import io.drover.cli.CliException;
import io.drover.model.ResourceKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects named on a command line, in either of kubectl's forms: {@code KIND [NAME...]} ({@code pods web-1})
 * or {@code KIND/NAME...} ({@code pod/web-1}, the form apply prints). No targets means every object of the kind.
 */
public record ResourceArgs(ResourceKind kind, List<Target> targets) {

    public record Target(ResourceKind kind, String name) {}

    public ResourceArgs {
        targets = List.copyOf(targets);
    }

    public static ResourceArgs parse(List<String> args) {
        if (args.isEmpty()) {
            throw new CliException("you must specify the type of resource: one of " + ResourceKind.knownKinds());
        }
        String first = args.getFirst();
        if (first.contains("/")) {
            List<Target> targets = new ArrayList<>();
            for (String arg : args) {
                if (!arg.contains("/")) {
                    throw new CliException("\"" + arg + "\" has no resource type: when one object is named as TYPE/NAME, name all of them so");
                }
                targets.add(slashForm(arg));
            }
            return new ResourceArgs(targets.getFirst().kind(), targets);
        }
        ResourceKind kind = kind(first);
        List<Target> targets = new ArrayList<>();
        for (String name : args.subList(1, args.size())) {
            if (name.contains("/")) {
                throw new CliException("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'drover get pod/web-1' instead of 'drover get pod pod/web-1')");
            }
            targets.add(new Target(kind, name));
        }
        return new ResourceArgs(kind, targets);
    }

    /** Resolves a kind by name, plural or short name ("Pod", "pods", "po"). */
    public static ResourceKind kind(String text) {
        return ResourceKind.find(text).orElseThrow(() -> new CliException(
                "unknown resource type \"" + text + "\"; known types: " + ResourceKind.knownKinds()));
    }

    private static Target slashForm(String arg) {
        int slash = arg.indexOf('/');
        String name = arg.substring(slash + 1);
        if (name.isEmpty() || name.contains("/")) {
            throw new CliException("\"" + arg + "\" is not of the form TYPE/NAME");
        }
        return new Target(kind(arg.substring(0, slash)), name);
    }
}
