package io.drover.store.etcd;

import static io.drover.store.contract.ContractSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.store.StoreException;
import io.drover.store.contract.RecordingListener;
import io.drover.store.etcd.testing.EtcdCluster;
import io.drover.store.etcd.testing.EtcdProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd serving https and requiring client certificates, with certificates made by openssl for the test. */
class EtcdTlsTest {
    @TempDir
    static Path certs;

    private static EtcdCluster cluster;
    private static EtcdStoreOptions https;

    @BeforeAll
    static void startEtcdWithTls() throws Exception {
        makeCa("ca");
        makeCa("other-ca");
        makeCert("server", "ca", "serverAuth", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        makeCert("client", "ca", "clientAuth", null);
        cluster = EtcdCluster.start(1, config -> config.withTls(
                new EtcdProcess.ClientTls(certs.resolve("server.crt"), certs.resolve("server.key"), certs.resolve("ca.crt"))));
        https = EtcdStoreOptions.of(cluster.clientUrls().stream().map(Object::toString).toList());
        assertThat(https.tls()).isTrue();
    }

    @AfterAll
    static void stopEtcd() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void withTheCaAndAClientCertificateEverythingWorks() {
        try (EtcdKeyValueStore store = EtcdKeyValueStore.open(https.withNamespace("/tls/").withTls(
                certs.resolve("ca.crt"), certs.resolve("client.crt"), certs.resolve("client.key")))) {
            RecordingListener watcher = new RecordingListener();
            store.watch("/", 0, watcher);
            long revision = store.put("/secret", bytes("s")).modRevision();
            assertThat(store.get("/secret").orElseThrow().valueAsString()).isEqualTo("s");
            await().atMost(Duration.ofSeconds(10)).until(() -> watcher.lastRevision() == revision);
        }
    }

    @Test
    void withoutAClientCertificateOrWithTheWrongCaCallsFailWithAStoreException() {
        try (EtcdKeyValueStore store = EtcdKeyValueStore.open(https.withTls(certs.resolve("ca.crt"), null, null))) {
            assertThatThrownBy(() -> store.get("/k")).isInstanceOf(StoreException.class)
                    .hasMessageContaining(cluster.endpoints()).hasMessageContaining("TLS settings");
        }
        try (EtcdKeyValueStore store = EtcdKeyValueStore.open(https.withTls(certs.resolve("other-ca.crt"),
                certs.resolve("client.crt"), certs.resolve("client.key")))) {
            assertThatThrownBy(() -> store.get("/k")).isInstanceOf(StoreException.class)
                    .hasMessageContaining(cluster.endpoints());
        }
    }

    @Test
    void aKeyThatIsNotPemIsRefusedAtOpenWithHowToConvertIt() throws IOException {
        Path notPem = Files.writeString(certs.resolve("not-a-key.pem"), "hello", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EtcdKeyValueStore.open(https.withTls(certs.resolve("ca.crt"), certs.resolve("client.crt"),
                notPem))).isInstanceOf(StoreException.class).hasMessageContaining("openssl pkcs8");
    }

    private static void makeCa(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=drover-test-" + name);
    }

    private static void makeCert(String name, String ca, String usage, String subjectAltName) throws Exception {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=drover-test-" + name);
        Files.writeString(certs.resolve(name + ".ext"), "extendedKeyUsage=" + usage + "\n"
                + (subjectAltName == null ? "" : subjectAltName + "\n"), StandardCharsets.UTF_8);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(certs.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n" + output);
        }
    }
}
