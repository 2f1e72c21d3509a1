package io.onloop.domain.routing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Silences that would hold every alert are told apart from those that need something of it. */
class RoutingLabelsTest {

    private static boolean everyAlert(String... matchers) {
        return RoutingLabels.matchEveryAlert(List.of(matchers).stream().map(Matcher::parse).toList());
    }

    @Test
    void matchersEveryAlertSatisfiesAreTold() {
        assertThat(everyAlert("alertname=~\".*\"")).isTrue();
        assertThat(everyAlert("alertname!=\"\"")).as("every alert has a name").isTrue();
        assertThat(everyAlert("alertname=~\".+\"")).isTrue();
        assertThat(everyAlert("severity=~\"critical|high|medium|low|info\"")).as("every severity").isTrue();
        assertThat(everyAlert("severity!=\"page\"")).as("not one of onloop's severities").isTrue();
        assertThat(everyAlert("source!=\"\"")).isTrue();
        assertThat(everyAlert("instance!=\"web-1\"")).as("also where there is no instance").isTrue();
        assertThat(everyAlert("alertname!=\"\"", "severity!~\"x\"")).isTrue();
    }

    @Test
    void matchersThatNeedSomethingOfTheAlertAreNot() {
        assertThat(everyAlert("alertname=\"DiskFull\"")).isFalse();
        assertThat(everyAlert("alertname=~\"[A-Za-z].*\"")).as("not a name that starts with a digit").isFalse();
        assertThat(everyAlert("severity=~\"critical|high\"")).isFalse();
        assertThat(everyAlert("severity!=\"info\"")).as("not every alert, but see needNoValue").isFalse();
        assertThat(everyAlert("source=\"alertmanager\"")).isFalse();
        assertThat(everyAlert("instance=~\".+\"")).as("needs an instance").isFalse();
        assertThat(everyAlert("alertname!=\"\"", "team=\"db\"")).as("one matcher that needs a label is enough").isFalse();
    }

    @Test
    void matchersOfWhichNoneNeedsAValueAreTold() {
        for (String[] noneNeeds : new String[][]{{"severity!=\"info\""}, {"source!=\"onloop\""}, {"team!~\"db|web\""},
                {"severity!=\"info\"", "team=~\"db|\""}}) {
            assertThat(RoutingLabels.needNoValue(List.of(noneNeeds).stream().map(Matcher::parse).toList()))
                    .as(String.join(", ", noneNeeds)).isTrue();
        }
        for (String[] needs : new String[][]{{"severity=~\"critical|high\""}, {"severity!=\"info\"", "team=\"db\""},
                {"alertname!=\"\""}}) {
            assertThat(RoutingLabels.needNoValue(List.of(needs).stream().map(Matcher::parse).toList()))
                    .as(String.join(", ", needs)).isFalse();
        }
    }
}
