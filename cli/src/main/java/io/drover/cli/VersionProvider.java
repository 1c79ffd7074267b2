package io.drover.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version for {@code --version}, from the pom.properties Maven puts into the jar, so that it cannot drift from
 * the build. Classes run from a build directory (tests, IDE) have no jar, hence "development build".
 */
public final class VersionProvider implements IVersionProvider {

    private static final String POM_PROPERTIES = "/META-INF/maven/io.drover/drover-cli/pom.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"drover " + version() + " (Java " + Runtime.version() + ")"};
    }

    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version");
                if (version != null) {
                    return version;
                }
            }
        } catch (IOException e) {
            // An unreadable jar entry is no reason to fail --version.
        }
        return "development build";
    }
}
