package io.drover.cni;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** Go's syntax errors and layout, which Drover reproduces so that its answers read like the reference plugins'. */
class GoJsonTest {

    private static String error(String json) {
        return GoJson.syntaxError(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", " {\"a\": [1, -2.5e+3, true, false, null, \"x\\u00e9\\n\"]}\n", "[]", "[[]]",
        "0", "\"s\"", "{\"a\":{\"b\":{}}}", "[1,[2,[3]],{}]", "null", "-0.0E-1"})
    void wellFormedInputHasNoError(String json) {
        assertThat(error(json)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"cniVersion\":\"1.0.0\",\"name\":\"t\",\"type\":\"bridge\"",
        "{\"a\"", "{\"a\":", "[1,", "\"abc", "tru", "-", "1.", "1e", "{\"a\":1,", "\"\\u12"})
    void truncatedInputEndsUnexpectedly(String json) {
        assertThat(error(json)).isEqualTo("unexpected end of JSON input");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "x                 | invalid character 'x' looking for beginning of value",
        "{x                | invalid character 'x' looking for beginning of object key string",
        "{\"a\" 1          | invalid character '1' after object key",
        "{\"a\":1 2        | invalid character '2' after object key:value pair",
        "[1 2              | invalid character '2' after array element",
        "[1,]              | invalid character ']' looking for beginning of value",
        "{\"a\":1,}        | invalid character '}' looking for beginning of object key string",
        "{} x              | invalid character 'x' after top-level value",
        "01                | invalid character '1' after top-level value",
        "-x                | invalid character 'x' in numeric literal",
        "1.x               | invalid character 'x' after decimal point in numeric literal",
        "1ex               | invalid character 'x' in exponent of numeric literal",
        "trux              | invalid character 'x' in literal true (expecting 'e')",
        "nul               | unexpected end of JSON input",
        "fx                | invalid character 'x' in literal false (expecting 'a')",
        "\"\\q\"           | invalid character 'q' in string escape code",
        "\"\\u12g4\"       | invalid character 'g' in \\u hexadecimal character escape",
        "'a'               | invalid character '\\'' looking for beginning of value",
        "}                 | invalid character '}' looking for beginning of value"})
    void malformedInputGetsGosMessage(String json, String message) {
        assertThat(error(json.strip())).isEqualTo(message);
    }

    @Test
    void controlCharactersInStringsAreQuotedAsGoDoes() {
        assertThat(error("\"a\nb\"")).isEqualTo("invalid character '\\n' in string literal");
        assertThat(error("\"a\u0001b\"")).isEqualTo("invalid character '\\x01' in string literal");
    }

    @Test
    void nestingDeeperThanGosLimitIsAnError() {
        String deep = "[".repeat(10_001) + "]".repeat(10_001);
        assertThat(error(deep)).isEqualTo("exceeded max depth");
        String ok = "[".repeat(10_000) + "]".repeat(10_000);
        assertThat(error(ok)).isNull();
    }

    @Test
    void prettyPrintsLikeMarshalIndent() {
        var node = JsonMapper.builder().build().readTree(
                "{\"a\":1,\"b\":[],\"c\":{},\"d\":[{\"e\":\"x<y>&z\"},true,null],\"f\":\"\\u2028\\t\\\"\"}");
        assertThat(GoJson.pretty(node)).isEqualTo("""
                {
                    "a": 1,
                    "b": [],
                    "c": {},
                    "d": [
                        {
                            "e": "x\\u003cy\\u003e\\u0026z"
                        },
                        true,
                        null
                    ],
                    "f": "\\u2028\\t\\""
                }""");
        assertThat(GoJson.compact(node)).isEqualTo(
                "{\"a\":1,\"b\":[],\"c\":{},\"d\":[{\"e\":\"x\\u003cy\\u003e\\u0026z\"},true,null],\"f\":\"\\u2028\\t\\\"\"}");
    }
}
