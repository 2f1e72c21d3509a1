package io.onloop.domain.rightsizing.copilot;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnifiedDiffTest {

    private static List<String> numbered(int n) {
        return new ArrayList<>(IntStream.rangeClosed(1, n).mapToObj(i -> "line " + i).toList());
    }

    @Test
    void equalTextsHaveNoDiff() {
        assertThat(UnifiedDiff.of("f", numbered(5), numbered(5), true)).isEmpty();
    }

    @Test
    void changesFarApartAreSeparateHunksAndNearOnesOne() {
        var after = numbered(30);
        after.set(1, "two");      // line 2
        after.set(19, "twenty");  // line 20: 17 lines away, a separate hunk
        after.set(25, "26!");     // line 26: 5 lines after line 20, same hunk (within 2 x 3)
        assertThat(UnifiedDiff.of("f", numbered(30), after, true)).isEqualTo("""
                --- a/f
                +++ b/f
                @@ -1,5 +1,5 @@
                 line 1
                -line 2
                +two
                 line 3
                 line 4
                 line 5
                @@ -17,13 +17,13 @@
                 line 17
                 line 18
                 line 19
                -line 20
                +twenty
                 line 21
                 line 22
                 line 23
                 line 24
                 line 25
                -line 26
                +26!
                 line 27
                 line 28
                 line 29
                """);
    }

    @Test
    void insertionsAndTheMissingNewlineAtTheEndAreMarkedAsGitDoes() {
        var after = numbered(3);
        after.add("line 4");
        assertThat(UnifiedDiff.of("f", numbered(3), after, false)).isEqualTo("""
                --- a/f
                +++ b/f
                @@ -1,3 +1,4 @@
                 line 1
                 line 2
                -line 3
                \\ No newline at end of file
                +line 3
                +line 4
                \\ No newline at end of file
                """);
    }

    @Test
    void aChangeSpreadOverThousandsOfLinesIsRefusedNotComputed() {
        var after = new ArrayList<>(numbered(3000).stream().map(l -> l + "!").toList());
        assertThatThrownBy(() -> UnifiedDiff.of("f", numbered(3000), after, true)).isInstanceOf(PlanException.class)
                .hasMessageContaining("spans 3000 lines");
    }
}
