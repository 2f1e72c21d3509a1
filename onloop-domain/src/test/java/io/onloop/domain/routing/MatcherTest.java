package io.onloop.domain.routing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MatcherTest {

    @Test
    void equalityComparesTheWholeValueAndAMissingLabelIsEmpty() {
        assertThat(Matcher.parse("env=\"prod\"").matches(Map.of("env", "prod"))).isTrue();
        assertThat(Matcher.parse("env=\"prod\"").matches(Map.of("env", "production"))).isFalse();
        assertThat(Matcher.parse("env=\"\"").matches(Map.of())).isTrue();
        assertThat(Matcher.parse("env!=\"prod\"").matches(Map.of())).isTrue();
        assertThat(Matcher.parse("env!=prod").matches(Map.of("env", "prod"))).isFalse();
    }

    @Test
    void regexesAreAnchoredAtBothEnds() {
        Matcher m = Matcher.parse("service=~\"web|api\"");
        assertThat(m.matches(Map.of("service", "web"))).isTrue();
        assertThat(m.matches(Map.of("service", "api"))).isTrue();
        assertThat(m.matches(Map.of("service", "webserver"))).isFalse();
        assertThat(m.matches(Map.of("service", "my-web"))).isFalse();
        Matcher not = Matcher.parse("service!~\"web.*\"");
        assertThat(not.matches(Map.of("service", "webserver"))).isFalse();
        assertThat(not.matches(Map.of("service", "db"))).isTrue();
        assertThat(not.matches(Map.of())).isTrue();
        // ".*" matches a missing label, as in Alertmanager
        assertThat(Matcher.parse("x=~\".*\"").matches(Map.of())).isTrue();
        assertThat(Matcher.parse("x=~\".+\"").matches(Map.of())).isFalse();
    }

    @Test
    void parsesQuotedValuesWithEscapesAndRoundTrips() {
        Matcher m = Matcher.parse("{msg=\"say \\\"hi\\\"\"}");
        assertThat(m.value()).isEqualTo("say \"hi\"");
        assertThat(Matcher.parse(m.toString())).isEqualTo(m);
    }

    @Test
    void aMatcherSavedBeforeQuotesWereCheckedReadsAsItDid() {
        assertThat(Matcher.parseAsSaved("alertname=\"x\",job=\"y\"").value()).isEqualTo("x\",job=\"y");
        assertThat(Matcher.parseAsSaved("alertname=\"x").value()).isEqualTo("\"x");
        assertThat(Matcher.parseAsSaved("alertname=\"x\"")).isEqualTo(Matcher.parse("alertname=\"x\""));
    }

    @Test
    void aRegexThatOverflowsTheStackDoesNotMatchWhateverItsOperator() {
        String deep = "ab".repeat(200_000);
        for (String m : new String[]{"x=~\"(a|b)*\"", "x!~\"(a|b)*\""}) {
            assertThat(Matcher.parse(m).matches(Map.of("x", deep))).as(m).isFalse();
        }
    }

    @Test
    void rejectsWhatItCannotRead() {
        assertThatThrownBy(() -> Matcher.parse("=x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Matcher.parse("name~x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Matcher.parse("a=~\"(\"")).hasMessageContaining("invalid regular expression");
        assertThatThrownBy(() -> Matcher.parse("alertname=\"x\",job=\"y\"")).as("two matchers, not one")
                .hasMessageContaining("text after the quoted value; give each matcher on its own");
        assertThatThrownBy(() -> Matcher.parse("alertname=\"x")).hasMessageContaining("the quoted value is not closed");
        assertThatThrownBy(() -> Matcher.parse("alertname=\"x\\\"")).as("its quote is escaped")
                .hasMessageContaining("not closed");
        assertThat(Matcher.parse("path=~\"C:\\\\\\d+\"").value()).as("\\\\ is one backslash, \\d a regex's")
                .isEqualTo("C:\\\\d+");
    }

    /** One responder's silence must not stop the routing thread every tenant shares (exploratory test, session 28). */
    @Test
    @org.junit.jupiter.api.Timeout(120) // a guard, not a speed claim: without the bound this match does not end
    void aRegexThatBacktracksWithoutEndGivesUpAndDoesNotMatch() {
        Map<String, String> poison = Map.of("team", "a".repeat(60));
        assertThat(Matcher.parse("team=~\"(.*a){12}b\"").matches(poison)).isFalse();
        assertThat(Matcher.parse("team!~\"(.*a){12}b\"").matches(poison))
                .as("given up, not evaluated: not matching whatever the operator").isFalse();
        // an ordinary regex over a long value is well within the bound, both ways
        String longValue = "x".repeat(500) + "checkout" + "y".repeat(500);
        assertThat(Matcher.parse("service=~\".*checkout.*\"").matches(Map.of("service", longValue))).isTrue();
        assertThat(Matcher.parse("service!~\".*payments.*\"").matches(Map.of("service", longValue))).isTrue();
    }
}
