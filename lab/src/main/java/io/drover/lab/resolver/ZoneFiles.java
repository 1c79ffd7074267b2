package io.drover.lab.resolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Zone;

/** Reads {@code ORIGIN=FILE} zone arguments into zones; each mistake says which argument and what to write. */
public final class ZoneFiles {

    private ZoneFiles() {}

    public static List<Zone> read(List<String> arguments) {
        List<Zone> zones = new ArrayList<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq <= 0 || eq == argument.length() - 1) {
                throw new IllegalArgumentException("zone '" + argument + "' is not ORIGIN=FILE; write e.g."
                        + " example.com=/path/to/example.com.zone");
            }
            String origin = argument.substring(0, eq);
            Path file = Path.of(argument.substring(eq + 1));
            Name name;
            try {
                name = Name.fromString(origin.endsWith(".") ? origin : origin + ".");
            } catch (TextParseException e) {
                throw new IllegalArgumentException("zone '" + argument + "': '" + origin + "' is not a domain name ("
                        + e.getMessage() + ")");
            }
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("zone '" + argument + "': cannot read " + file);
            }
            try {
                zones.add(new Zone(name, file.toString()));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("zone '" + argument + "': " + file + " is not a master file of " + name
                        + " (" + e.getMessage() + "); fix the line it names");
            }
        }
        return zones;
    }
}
