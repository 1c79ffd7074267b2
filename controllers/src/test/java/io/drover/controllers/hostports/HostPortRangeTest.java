package io.drover.controllers.hostports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HostPortRangeTest {

    @Test
    void theDefaultIsDockersEphemeralRange() {
        assertThat(HostPortRange.DEFAULT).isEqualTo(new HostPortRange(32768, 60999));
        assertThat(HostPortRange.DEFAULT.size()).isEqualTo(28232);
        assertThat(HostPortRange.DEFAULT).hasToString("32768-60999");
    }

    @Test
    void parsesFromToAndASinglePort() {
        assertThat(HostPortRange.parse("40000-40100")).isEqualTo(new HostPortRange(40000, 40100));
        assertThat(HostPortRange.parse(" 40000 - 40100 ")).isEqualTo(new HostPortRange(40000, 40100));
        assertThat(HostPortRange.parse("8080")).isEqualTo(new HostPortRange(8080, 8080));
        assertThat(HostPortRange.parse("1-65535").contains(65535)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|the host port range is empty; write FROM-TO, e.g. 32768-60999",
            "40000-|host port range \"40000-\": the last port \"\" is not a port number; write FROM-TO, e.g. 32768-60999",
            "a-b|host port range \"a-b\": the first port \"a\" is not a port number; write FROM-TO, e.g. 32768-60999",
            "40000:40100|host port range \"40000:40100\": the first port \"40000:40100\" is not a port number; write FROM-TO, e.g. 32768-60999",
            "0-100|host port range \"0-100\": the first port 0 is not between 1 and 65535; write FROM-TO, e.g. 32768-60999",
            "60000-70000|host port range \"60000-70000\": the last port 70000 is not between 1 and 65535; write FROM-TO, e.g. 32768-60999",
            "-5|host port range \"-5\": the first port \"-5\" is not a port number; write FROM-TO, e.g. 32768-60999",
            "50000-40000|host port range \"50000-40000\" ends before it starts; write the lower port first: 40000-50000",
    })
    void badRangesSayWhatToWrite(String text, String message) {
        assertThatThrownBy(() -> HostPortRange.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
