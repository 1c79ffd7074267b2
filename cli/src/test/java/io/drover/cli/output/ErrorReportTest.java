package io.drover.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.api.client.ApiError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorReportTest {

    private static final List<ApiError.Cause> CAUSES = List.of(
            new ApiError.Cause("spec.ports[0].port", "must be between 1 and 65535"),
            new ApiError.Cause("", "two ports are named http"));

    @Test
    void namesTheObjectThenEachCauseIndented() {
        ApiError error = new ApiError(422, "Invalid", "Pod \"web-1\" is invalid", CAUSES);

        assertThat(ErrorReport.lines("pod/web-1", error)).containsExactly(
                "error: pod/web-1: Pod \"web-1\" is invalid",
                "  spec.ports[0].port: must be between 1 and 65535",
                "  two ports are named http");
        assertThat(ErrorReport.lines(null, error).getFirst()).isEqualTo("error: Pod \"web-1\" is invalid");
    }

    @Test
    void causesTheMessageAlreadyListsAreShownOnceUnderTheSummary() {
        ApiError error = new ApiError(422, "Invalid",
                "Pod \"web-1\" is invalid: spec.ports[0].port: must be between 1 and 65535; two ports are named http", CAUSES);

        assertThat(ErrorReport.lines("pod/web-1", error)).containsExactly(
                "error: pod/web-1: Pod \"web-1\" is invalid",
                "  spec.ports[0].port: must be between 1 and 65535",
                "  two ports are named http");
    }

    @Test
    void aMessageThatListsOnlySomeCausesIsKeptWhole() {
        String message = "Pod \"web-1\" is invalid: spec.ports[0].port: must be between 1 and 65535 (and more)";
        ApiError error = new ApiError(422, "Invalid", message, CAUSES);

        assertThat(ErrorReport.lines(null, error).getFirst()).isEqualTo("error: " + message);
    }
}
