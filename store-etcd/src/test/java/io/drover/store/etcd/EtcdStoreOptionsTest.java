package io.drover.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.store.StoreException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdStoreOptionsTest {
    @TempDir
    Path dir;

    @Test
    void endpointsAreParsedFromACommaSeparatedListAndABareHostPortMeansHttp() {
        assertThat(EtcdStoreOptions.parse(" 10.0.0.1:2379, http://etcd-2:2379 ,").endpoints())
                .containsExactly(URI.create("http://10.0.0.1:2379"), URI.create("http://etcd-2:2379"));
        EtcdStoreOptions tls = EtcdStoreOptions.parse("https://[fd00::3]:2379,https://etcd-2:2379");
        assertThat(tls.tls()).isTrue();
        assertThat(tls.describeEndpoints()).isEqualTo("https://[fd00::3]:2379,https://etcd-2:2379");
        assertThatThrownBy(() -> EtcdStoreOptions.parse("10.0.0.1:2379,https://b:2379"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mix http and https");
    }

    @Test
    void defaultsAreNoNamespaceAFiveSecondTimeoutAndNoTls() {
        EtcdStoreOptions options = EtcdStoreOptions.of("http://127.0.0.1:2379");
        assertThat(options.namespace()).isEmpty();
        assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.tls()).isFalse();
        assertThat(options.describeEndpoints()).isEqualTo("http://127.0.0.1:2379");
        assertThat(options.withNamespace("/drover/").withRequestTimeout(Duration.ofSeconds(2)).withWatchQueueLimit(5))
                .isEqualTo(new EtcdStoreOptions(options.endpoints(), null, null, null, "/drover/", Duration.ofSeconds(2), 5));
    }

    @Test
    void malformedOptionsAreRefusedWithWhatToWriteInstead() {
        assertThatThrownBy(() -> EtcdStoreOptions.parse(" , ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no etcd endpoint").hasMessageContaining("http://127.0.0.1:2379");
        assertThatThrownBy(() -> EtcdStoreOptions.of("http://etcd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://host:port");
        assertThatThrownBy(() -> EtcdStoreOptions.of("unix:///run/etcd.sock")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EtcdStoreOptions.of("http://etcd:2379/v3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EtcdStoreOptions.of("https://etcd:2379").withTls(null, dir.resolve("c.pem"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("give both");
        assertThatThrownBy(() -> EtcdStoreOptions.of("http://etcd:2379").withTls(dir.resolve("ca.pem"), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://");
        assertThatThrownBy(() -> EtcdStoreOptions.of("http://etcd:2379").withRequestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EtcdStoreOptions.of("http://etcd:2379").withWatchQueueLimit(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unreadableTlsFilesAreRefusedAtOpenNamingTheFile() {
        Path missing = dir.resolve("no-such-ca.pem");
        assertThatThrownBy(() -> EtcdKeyValueStore.open(EtcdStoreOptions.of("https://127.0.0.1:2379")
                        .withTls(missing, null, null)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("CA certificate").hasMessageContaining(missing.toString())
                .hasMessageContaining("no such file");
    }
}
