package io.drover.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ServerUrlsTest {

    @Test
    void acceptsHttpAndHttpsAndDropsATrailingSlash() {
        assertThat(ServerUrls.parse("http://127.0.0.1:7443/")).hasToString("http://127.0.0.1:7443");
        assertThat(ServerUrls.parse(" https://drover.example.com ")).hasToString("https://drover.example.com");
    }

    @Test
    void refusesWhatIsNotABaseUrl() {
        for (String bad : new String[] {"127.0.0.1:7443", "ftp://x:1", "http://x:1/api", "http://x:1?a=b", "", "http://"}) {
            assertThatThrownBy(() -> ServerUrls.parse(bad)).as(bad)
                    .hasMessage("invalid server URL \"" + bad + "\": expected http://HOST:PORT, e.g. http://127.0.0.1:7443");
        }
    }

    @Test
    void theListenAddressOfAServerAtTheUrl() {
        assertThat(ServerUrls.listenAddress(URI.create("http://127.0.0.1:9000"))).isEqualTo("127.0.0.1:9000");
        assertThat(ServerUrls.listenAddress(URI.create("http://[::1]:9000"))).isEqualTo("[::1]:9000");
        assertThat(ServerUrls.listenAddress(URI.create("https://example.com"))).isEqualTo("example.com:443");
    }
}
