package io.onloop.domain.routing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A named, recurring time condition with Alertmanager's {@code time_intervals} semantics: it holds
 * at an instant when any of its specs holds; a spec holds when every field it sets holds (an unset
 * field holds always). Used for maintenance windows ({@code mute_time_intervals}) and time-of-day
 * conditions ({@code active_time_intervals}).
 */
public record TimeInterval(String name, List<Spec> specs) {

    public TimeInterval {
        Objects.requireNonNull(name, "name");
        specs = List.copyOf(specs);
    }

    public boolean contains(Instant t) {
        return specs.stream().anyMatch(s -> s.contains(t));
    }

    /** An inclusive range of integers; for times, minutes of the day with an exclusive end. */
    public record Range(int start, int end) {
        boolean has(int v) {
            return v >= start && v <= end;
        }
    }

    /**
     * @param times       minute-of-day ranges, start inclusive, end exclusive (00:00 to 24:00)
     * @param weekdays    ranges of ISO day numbers (1 = Monday)
     * @param daysOfMonth ranges of days; negative counts from the month's end (-1 = last day)
     * @param months      ranges of month numbers (1 = January)
     * @param years       ranges of years
     * @param location    the time zone the fields are read in (UTC when unset)
     */
    public record Spec(List<Range> times, List<Range> weekdays, List<Range> daysOfMonth, List<Range> months,
                       List<Range> years, ZoneId location) {
        public Spec {
            times = List.copyOf(times);
            weekdays = List.copyOf(weekdays);
            daysOfMonth = List.copyOf(daysOfMonth);
            months = List.copyOf(months);
            years = List.copyOf(years);
            location = Objects.requireNonNullElse(location, ZoneOffset.UTC);
        }

        public boolean contains(Instant instant) {
            ZonedDateTime t = instant.atZone(location);
            int minute = t.getHour() * 60 + t.getMinute();
            if (!times.isEmpty() && times.stream().noneMatch(r -> minute >= r.start() && minute < r.end())) {
                return false;
            }
            if (!weekdays.isEmpty() && weekdays.stream().noneMatch(r -> r.has(t.getDayOfWeek().getValue()))) {
                return false;
            }
            if (!daysOfMonth.isEmpty()) {
                int length = t.toLocalDate().lengthOfMonth();
                int day = t.getDayOfMonth();
                boolean any = daysOfMonth.stream().anyMatch(r -> {
                    int start = r.start() < 0 ? length + r.start() + 1 : r.start();
                    int end = r.end() < 0 ? length + r.end() + 1 : r.end();
                    return day >= start && day <= end;
                });
                if (!any) {
                    return false;
                }
            }
            if (!months.isEmpty() && months.stream().noneMatch(r -> r.has(t.getMonthValue()))) {
                return false;
            }
            return years.isEmpty() || years.stream().anyMatch(r -> r.has(t.getYear()));
        }
    }

    // Parsers for Alertmanager's textual forms; each throws IllegalArgumentException with a message
    // fit to show the person who wrote the file.

    /** {@code "09:00"} to {@code "17:30"}: end exclusive; "24:00" allowed as an end. */
    public static Range times(String start, String end) {
        int s = minuteOfDay(start, false);
        int e = minuteOfDay(end, true);
        if (e <= s) {
            throw new IllegalArgumentException("end_time " + end + " must be after start_time " + start);
        }
        return new Range(s, e);
    }

    private static int minuteOfDay(String hhmm, boolean end) {
        if (hhmm == null || !hhmm.matches("\\d{1,2}:\\d{2}")) {
            throw new IllegalArgumentException("time must be HH:MM, got " + hhmm);
        }
        int h = Integer.parseInt(hhmm.substring(0, hhmm.indexOf(':')));
        int m = Integer.parseInt(hhmm.substring(hhmm.indexOf(':') + 1));
        if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end))) {
            throw new IllegalArgumentException("time out of range: " + hhmm);
        }
        return h * 60 + m;
    }

    /** {@code "monday:friday"} or {@code "saturday"}. */
    public static Range weekdays(String text) {
        return range(text, s -> DayOfWeek.valueOf(s.toUpperCase(Locale.ROOT)).getValue(), "weekday", 1, 7);
    }

    /** {@code "1:5"}, {@code "-3:-1"} or {@code "15"}. */
    public static Range daysOfMonth(String text) {
        Range r = range(text, Integer::parseInt, "day of month", -31, 31);
        if (r.start() == 0 || r.end() == 0) {
            throw new IllegalArgumentException("invalid days_of_month range: " + text);
        }
        return r;
    }

    /** {@code "january:march"}, {@code "1:3"} or {@code "december"}. */
    public static Range months(String text) {
        return range(text, s -> s.matches("\\d+") ? Integer.parseInt(s)
                : Month.valueOf(s.toUpperCase(Locale.ROOT)).getValue(), "month", 1, 12);
    }

    public static Range years(String text) {
        return range(text, Integer::parseInt, "year", 1, 9999);
    }

    private static Range range(String text, java.util.function.ToIntFunction<String> parse, String what,
                               int min, int max) {
        String[] parts = text.strip().split(":", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("invalid " + what + " range: " + text);
        }
        int start;
        int end;
        try {
            start = parse.applyAsInt(parts[0].strip());
            end = parts.length == 2 ? parse.applyAsInt(parts[1].strip()) : start;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + what + ": " + text);
        }
        if (start < min || end > max || (start > end && !(start > 0 && end < 0))) {
            throw new IllegalArgumentException("invalid " + what + " range: " + text);
        }
        return new Range(start, end);
    }
}
