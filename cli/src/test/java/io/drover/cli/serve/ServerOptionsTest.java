package io.drover.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options of {@code drover server} that are refused before anything starts. */
class ServerOptionsTest {

    @Test
    void aBadHostPortRangeSaysWhatToWrite() {
        CliHarness.Result reversed = CliHarness.run("server", "--host-port-range", "50000-40000");
        assertThat(reversed.exitCode()).isEqualTo(1);
        assertThat(reversed.err()).contains("--host-port-range: host port range \"50000-40000\" ends before it starts; "
                + "write the lower port first: 40000-50000");
        CliHarness.Result garbage = CliHarness.run("server", "--host-port-range", "high");
        assertThat(garbage.exitCode()).isEqualTo(1);
        assertThat(garbage.err()).contains("--host-port-range: host port range \"high\": the first port \"high\" is not a "
                + "port number; write FROM-TO, e.g. 32768-60999");
    }

    @Test
    void badServiceRangesNameTheirFlagAndWhatToWrite() {
        assertThat(error("server", "--service-cidr", "10.96.0.1/16")).contains("--service-cidr: service CIDR: "
                + "'10.96.0.1/16' has host bits set; did you mean 10.96.0.0/16?; give an IPv4 CIDR, e.g. 10.96.0.0/16");
        assertThat(error("server", "--service-cidr", "fd00::/108")).contains("--service-cidr: service CIDR fd00::/108 is "
                + "IPv6, and Drover's services are IPv4 only for now; give an IPv4 CIDR, e.g. 10.96.0.0/16");
        assertThat(error("server", "--node-port-range", "30000")).contains("--node-port-range: node port range "
                + "\"30000\" is not FIRST-LAST; write two port numbers joined by '-', e.g. 30000-32767");
        assertThat(error("server", "--load-balancer-pool", "172.31.0.200/29", "--load-balancer-pool", "lb"))
                .contains("--load-balancer-pool: pool lb: 'lb' is not an IPv4 or IPv6 address; write a CIDR "
                        + "(172.31.0.200/29) or a range (172.31.0.200-172.31.0.220)");
    }

    private static String error(String... args) {
        CliHarness.Result r = CliHarness.run(args);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        return r.err();
    }

    @Test
    void theEtcdStoreNeedsItsEndpoints() {
        assertThat(error("server", "--store", "etcd")).contains("--store etcd needs --etcd-endpoints URLS: the client "
                + "URLs of the etcd members, comma-separated, e.g. --etcd-endpoints http://10.0.0.1:2379,http://10.0.0.2:2379");
        assertThat(error("server", "--store", "etcd", "--etcd-endpoints", " , ")).contains("--store etcd needs --etcd-endpoints");
        assertThat(error("server", "--store", "etcd", "--etcd-endpoints", "ftp://10.0.0.1:2379"))
                .contains("--etcd-endpoints: 'ftp://10.0.0.1:2379' is not an etcd endpoint: write it as http://host:port");
        assertThat(error("server", "--store", "etcd", "--etcd-endpoints", "http://a:2379,https://b:2379"))
                .contains("--etcd-endpoints: the etcd endpoints [http://a:2379, https://b:2379] mix http and https");
        assertThat(error("server", "--store", "etcd", "--etcd-endpoints", "http://a:2379", "--data", "/tmp/x"))
                .contains("--data is the embedded store's directory; with --store etcd the state lives in etcd");
        assertThat(error("server", "--store", "etcd3")).contains("--store must be embedded or etcd (got \"etcd3\")");
        assertThat(error("server", "--etcd-endpoints", "http://a:2379"))
                .contains("--etcd-endpoints, --etcd-cacert, --etcd-cert and --etcd-key go with --store etcd");
    }

    @Test
    void etcdTlsFilesAreCheckedFlagByFlag(@TempDir Path dir) throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        Path missing = dir.resolve("missing.pem");
        assertThat(error("server", "--store", "etcd", "--etcd-endpoints", "https://a:2379", "--etcd-cacert", missing.toString()))
                .contains("--etcd-cacert: cannot read " + missing + " (no such file); give the PEM file of the CA");
        assertThat(error("server", "--store", "etcd", "--etcd-endpoints", "https://a:2379", "--etcd-cert", ca.toString()))
                .contains("--etcd-cert needs --etcd-key");
        assertThat(error("server", "--store", "etcd", "--etcd-endpoints", "https://a:2379", "--etcd-key", ca.toString()))
                .contains("--etcd-key needs --etcd-cert");
        assertThat(error("server", "--store", "etcd", "--etcd-endpoints", "http://a:2379", "--etcd-cacert", ca.toString()))
                .contains("--etcd-endpoints: http://a:2379 is plain http, but TLS files are given (--etcd-cacert, "
                        + "--etcd-cert, --etcd-key): write https://a:2379");
        // A bare HOST:PORT with TLS files is https; a CA file that is no certificate is named with what to do.
        assertThat(error("server", "--store", "etcd", "--etcd-endpoints", "a:2379", "--etcd-cacert", ca.toString(),
                "--listen", "127.0.0.1:0"))
                .contains("the TLS files for etcd (CA " + ca).contains("they must be PEM");
    }

    @Test
    void anEtcdNobodyServesFailsTheStartNamingTheEndpoint() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        assertThat(error("server", "--store", "etcd", "--etcd-endpoints", endpoint, "--listen", "127.0.0.1:0"))
                .contains("error: cannot start the server: the store (etcd at " + endpoint + ") cannot be reached: "
                        + "etcd is unavailable at " + endpoint)
                .contains("check that the etcd members are running")
                .doesNotContain("can be retried")
                .doesNotContain("internal error");
    }

    @Test
    void theHelpListsTheHostPortRange() {
        CliHarness.Result help = CliHarness.run("server", "--help");
        assertThat(help.out()).contains("--host-port-range=FROM-TO").contains("Default: 32768-60999")
                .contains("--store=KIND").contains("--etcd-endpoints=URLS").contains("--etcd-cacert=FILE")
                .contains("--etcd-cert=FILE").contains("--etcd-key=FILE").contains("--data=DIR");
    }
}
