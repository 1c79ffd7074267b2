package io.drover.model.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.meta.LabelSelector.Operator;
import io.drover.model.meta.LabelSelector.Requirement;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {

    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "frontend");
    private static final Map<String, String> DB = Map.of("app", "db", "tier", "backend", "disk", "ssd");
    private static final Map<String, String> NONE = Map.of();

    @Test
    void parsesEveryOperator() {
        LabelSelector s = LabelSelector.parse("app=web, tier==frontend,env!=prod,zone in (a, b),rack notin (r1),gpu,!legacy");
        assertThat(s.requirements()).containsExactly(
                new Requirement("app", Operator.EQUALS, Set.of("web")),
                new Requirement("tier", Operator.EQUALS, Set.of("frontend")),
                new Requirement("env", Operator.NOT_EQUALS, Set.of("prod")),
                new Requirement("zone", Operator.IN, Set.of("a", "b")),
                new Requirement("rack", Operator.NOT_IN, Set.of("r1")),
                new Requirement("gpu", Operator.EXISTS, Set.of()),
                new Requirement("legacy", Operator.DOES_NOT_EXIST, Set.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // selector             | web   | db    | no labels
            "app=web                | true  | false | false",
            "app==web               | true  | false | false",
            "app!=web               | false | true  | true",
            "app in (web,db)        | true  | true  | false",
            "app in (db)            | false | true  | false",
            "app notin (web)        | false | true  | true",
            "disk                   | false | true  | false",
            "!disk                  | true  | false | true",
            "app=web,tier=frontend  | true  | false | false",
            "app=web,tier=backend   | false | false | false",
            "tier in (frontend, backend),!disk | true | false | false",
            "\"\"                     | true  | true  | true",
    })
    void matchesAsKubernetes(String selector, boolean web, boolean db, boolean none) {
        LabelSelector s = LabelSelector.parse(selector);
        assertThat(s.matches(WEB)).as("web").isEqualTo(web);
        assertThat(s.matches(DB)).as("db").isEqualTo(db);
        assertThat(s.matches(NONE)).as("no labels").isEqualTo(none);
    }

    @Test
    void emptyAndBlankSelectEverything() {
        assertThat(LabelSelector.parse(null).isEmpty()).isTrue();
        assertThat(LabelSelector.parse("  ").isEmpty()).isTrue();
        assertThat(LabelSelector.everything().matches(WEB)).isTrue();
    }

    @Test
    void matchingBuildsEqualityRequirements() {
        LabelSelector s = LabelSelector.matching(Map.of("app", "web"));
        assertThat(s.matches(WEB)).isTrue();
        assertThat(s.matches(DB)).isFalse();
        assertThat(s).hasToString("app=web");
    }

    @Test
    void prefixedKeysAndEmptyValues() {
        LabelSelector s = LabelSelector.parse("kubernetes.io/metadata.name=shop,note=");
        assertThat(s.matches(Map.of("kubernetes.io/metadata.name", "shop", "note", ""))).isTrue();
        assertThat(s.matches(Map.of("kubernetes.io/metadata.name", "shop"))).isFalse();
    }

    @Test
    void printsItsStringFormBack() {
        String text = "app=web,env!=prod,zone in (a,b),rack notin (r1),gpu,!legacy";
        assertThat(LabelSelector.parse(text)).hasToString(text);
        assertThat(LabelSelector.parse(LabelSelector.parse(text).toString())).isEqualTo(LabelSelector.parse(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "app=web,,tier=x|label selector 'app=web,,tier=x' has an empty requirement (two commas in a row?)",
            "app in web|label selector 'app in web': values of 'app in' must be in parentheses, e.g. app in (a,b)",
            "app notin web|label selector 'app notin web': values of 'app notin' must be in parentheses, e.g. app notin (a,b)",
            "Bad Key=x|label selector 'Bad Key=x': key 'Bad Key' must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
            "app=-web|label selector 'app=-web': value '-web' must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue' or 'my_value')",
            "=web|label selector '=web': key '' must not be empty",
            "app in (ok, b@d)|label selector 'app in (ok, b@d)': value 'b@d' must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue' or 'my_value')",
            "!|label selector '!': key '' must not be empty",
            "app in ()|label selector 'app in ()': 'app in' needs at least one value, e.g. app in (a,b)",
            "app notin ( , )|label selector 'app notin ( , )': 'app notin' needs at least one value, e.g. app notin (a,b)",
            "Example.com/app=x|label selector 'Example.com/app=x': key 'Example.com/app' has a prefix 'Example.com' that must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
    })
    void refusesMalformedSelectorsSayingWhere(String selector, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
