package io.onloop.app.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

import java.sql.SQLException;

/**
 * A start stopped because the database cannot be opened (PostgreSQL down or unreachable, a wrong password, an embedded
 * file that cannot be written) is reported as that, with the URL and what to check, instead of the driver's message
 * two hundred lines into nested bean-creation errors.
 */
public final class DatabaseFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {
    private final Environment environment;

    public DatabaseFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException sql) {
        if (!cannotOpen(sql)) {
            return null;
        }
        String url = withoutParameters(environment.getProperty("spring.datasource.url", ""));
        String action = url.startsWith("jdbc:h2:")
                ? "The embedded database lives in onloop.data-dir (" + environment.getProperty("onloop.data-dir")
                        + "): check that the directory can be written, that the disk has space, and that no other"
                        + " process has the file open."
                : "Check that the database server runs and can be reached from this machine, and the settings"
                        + " spring.datasource.url, spring.datasource.username and spring.datasource.password"
                        + " (README, the configuration table). Then start onloop again.";
        return new FailureAnalysis("onloop could not open its database " + url + ": " + sql.getMessage(), action, sql);
    }

    /**
     * Whether the database could not be opened at all: a connection refused or lost (SQLState class 08), credentials
     * refused (28), no such database (3D000), or H2's file locked, missing or unreadable. Any other failure (a migration
     * that fails) is left to the report that names it.
     */
    static boolean cannotOpen(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return e instanceof java.sql.SQLNonTransientConnectionException || e instanceof java.sql.SQLTransientConnectionException
                || e instanceof java.sql.SQLInvalidAuthorizationSpecException
                || state.startsWith("08") || state.startsWith("28") || state.equals("3D000")
                || H2_CANNOT_OPEN.contains(e.getErrorCode()) && state.startsWith("90");
    }

    /** H2's DATABASE_ALREADY_OPEN_1, FILE_CORRUPTED_1, IO_EXCEPTION_1/2, DATABASE_NOT_FOUND_1/_WITH_IF_EXISTS_1. */
    private static final java.util.Set<Integer> H2_CANNOT_OPEN = java.util.Set.of(90020, 90030, 90028, 90031, 90013, 90146);

    /** The URL without its parameters, which may hold a password ("?password=", H2's ";PASSWORD="). */
    static String withoutParameters(String url) {
        int end = url.length();
        for (char c : new char[]{'?', ';'}) {
            int at = url.indexOf(c);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return url.substring(0, end);
    }
}
