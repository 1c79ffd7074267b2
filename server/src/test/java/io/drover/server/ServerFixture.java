package io.drover.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One embedded server (SQLite in a temporary directory, a free port on 127.0.0.1) per test class; the tests of
 * a class use names of their own so that they do not see each other's objects.
 */
abstract class ServerFixture {

    static final String API = RestClient.API;

    @TempDir
    static Path dataDir;

    static DroverServer server;
    static RestClient rest;

    @BeforeAll
    static void startServer() {
        server = DroverServer.start(ServerOptions.embedded(dataDir, "127.0.0.1", 0));
        rest = new RestClient(server.port());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    static String network(String name, String subnet) {
        return """
                {"apiVersion":"drover.io/v1","kind":"Network","metadata":{"name":"%s"},"spec":{"subnets":["%s"]}}
                """.formatted(name, subnet);
    }

    static String namespace(String name) {
        return """
                {"apiVersion":"drover.io/v1","kind":"Namespace","metadata":{"name":"%s"}}
                """.formatted(name);
    }

    /** A pod; {@code labels} and {@code spec} are JSON object bodies ("" for none). */
    static String pod(String namespace, String name, String labels, String spec) {
        String ns = namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"";
        String l = labels.isEmpty() ? "" : ",\"labels\":" + labels;
        return """
                {"apiVersion":"drover.io/v1","kind":"Pod","metadata":{"name":"%s"%s%s},"spec":%s}
                """.formatted(name, ns, l, spec.isEmpty() ? "{}" : spec);
    }

    static void createNamespace(String name) {
        RestClient.Reply r = rest.post(API + "/namespaces", namespace(name));
        if (r.status() != 201) {
            throw new AssertionError("creating namespace " + name + ": " + r);
        }
    }
}
