package io.onloop.domain.routing;

import io.onloop.domain.routing.TimeInterval.Spec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeIntervalTest {

    private static Spec spec(List<TimeInterval.Range> times, List<TimeInterval.Range> weekdays, String zone) {
        return new Spec(times, weekdays, List.of(), List.of(), List.of(), zone == null ? null : ZoneId.of(zone));
    }

    @Test
    void businessHoursInATimeZoneStartInclusiveEndExclusive() {
        TimeInterval office = new TimeInterval("office", List.of(spec(List.of(TimeInterval.times("09:00", "17:00")),
                List.of(TimeInterval.weekdays("monday:friday")), "Europe/Berlin")));
        // 2026-03-02 is a Monday; Berlin is UTC+1 in March before DST
        assertThat(office.contains(Instant.parse("2026-03-02T08:00:00Z"))).isTrue();  // 09:00 Berlin
        assertThat(office.contains(Instant.parse("2026-03-02T07:59:00Z"))).isFalse(); // 08:59
        assertThat(office.contains(Instant.parse("2026-03-02T15:59:00Z"))).isTrue();  // 16:59
        assertThat(office.contains(Instant.parse("2026-03-02T16:00:00Z"))).isFalse(); // 17:00, end exclusive
        assertThat(office.contains(Instant.parse("2026-03-07T10:00:00Z"))).isFalse(); // Saturday
        // after DST (29 March 2026) Berlin is UTC+2: 09:00 local is 07:00Z
        assertThat(office.contains(Instant.parse("2026-03-30T07:00:00Z"))).isTrue();
    }

    @Test
    void weekendMaintenanceAndLastDaysOfMonthAndMonthsAndYears() {
        TimeInterval weekend = new TimeInterval("weekend", List.of(spec(List.of(),
                List.of(TimeInterval.weekdays("saturday"), TimeInterval.weekdays("sunday")), null)));
        assertThat(weekend.contains(Instant.parse("2026-03-08T23:59:00Z"))).isTrue();
        assertThat(weekend.contains(Instant.parse("2026-03-09T00:00:00Z"))).isFalse();

        TimeInterval monthEnd = new TimeInterval("month-end", List.of(new Spec(List.of(), List.of(),
                List.of(TimeInterval.daysOfMonth("-2:-1")), List.of(TimeInterval.months("february")),
                List.of(TimeInterval.years("2026")), null)));
        assertThat(monthEnd.contains(Instant.parse("2026-02-27T12:00:00Z"))).isTrue();  // 28 days: 27 and 28
        assertThat(monthEnd.contains(Instant.parse("2026-02-26T12:00:00Z"))).isFalse();
        assertThat(monthEnd.contains(Instant.parse("2026-03-30T12:00:00Z"))).isFalse(); // wrong month
        assertThat(monthEnd.contains(Instant.parse("2027-02-27T12:00:00Z"))).isFalse(); // wrong year
    }

    @Test
    void midnightEndIsAllowedAndBadTextIsRefused() {
        TimeInterval late = new TimeInterval("late", List.of(spec(List.of(TimeInterval.times("22:00", "24:00")),
                List.of(), null)));
        assertThat(late.contains(Instant.parse("2026-03-02T23:59:59Z"))).isTrue();
        assertThatThrownBy(() -> TimeInterval.times("17:00", "09:00")).hasMessageContaining("after");
        assertThatThrownBy(() -> TimeInterval.times("25:00", "26:00")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> TimeInterval.weekdays("funday")).hasMessageContaining("weekday");
        assertThatThrownBy(() -> TimeInterval.daysOfMonth("0:3")).hasMessageContaining("days_of_month");
    }
}
