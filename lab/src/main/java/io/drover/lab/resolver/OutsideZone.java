package io.drover.lab.resolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The zone the lab's outside resolver serves unless told otherwise: {@code example.com}, the domain reserved for
 * examples (RFC 2606), with addresses from the documentation ranges (RFC 5737, RFC 3849). It stands in for "a name
 * on the Internet" inside a lab that has no link to the Internet: a pod that asks the cluster DNS for
 * {@code www.example.com} gets this zone's answer, forwarded, and an ExternalName service pointing there resolves.
 * The file lies in the lab's directory; edit it and restart the lab to serve other names.
 */
public final class OutsideZone {

    public static final String ORIGIN = "example.com.";
    public static final String WWW_ADDRESS = "192.0.2.10";
    public static final String WWW_ADDRESS6 = "2001:db8::10";

    private OutsideZone() {}

    /** The zone's master file (RFC 1035 format). */
    public static String text() {
        return """
                ; The lab's stand-in for the world outside the cluster (RFC 2606 name, RFC 5737/3849 addresses).
                $ORIGIN example.com.
                $TTL 300
                @       IN SOA  ns.example.com. hostmaster.example.com. 1 3600 600 86400 60
                @       IN NS   ns.example.com.
                ns      IN A    192.0.2.53
                @       IN A    192.0.2.10
                www     IN A    192.0.2.10
                www     IN AAAA 2001:db8::10
                api     IN CNAME www.example.com.
                @       IN TXT  "stand-in for the outside world, served inside a Drover lab"
                """;
    }

    /** Writes the zone file into {@code dir}; returns its path. */
    public static Path write(Path dir) {
        Path file = dir.resolve("example.com.zone");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, text());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab's outside zone " + file + ": " + e.getMessage(), e);
        }
    }
}
