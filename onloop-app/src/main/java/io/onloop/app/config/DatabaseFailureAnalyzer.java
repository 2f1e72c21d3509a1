package io.onloop.app.config;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

import java.sql.SQLException;

/**
 * A start stopped because the database cannot be opened (PostgreSQL down or unreachable, a wrong password, an embedded
 * file that cannot be written) is reported as that, with the URL and what to check, instead of the driver's message
 * two hundred lines into nested bean-creation errors.
 */
public final class DatabaseFailureAnalyzer implements FailureAnalyzer {
    private final Environment environment;

    public DatabaseFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                String url = withoutParameters(environment.getProperty("spring.datasource.url", ""));
                String action = url.startsWith("jdbc:h2:")
                        ? "The embedded database lives in onloop.data-dir (" + environment.getProperty("onloop.data-dir")
                                + "): check that the directory can be written, that the disk has space, and that no"
                                + " other process has the file open."
                        : "Check that the database server runs and can be reached from this machine, and the settings"
                                + " spring.datasource.url, spring.datasource.username and spring.datasource.password"
                                + " (README, the configuration table). Then start onloop again.";
                return new FailureAnalysis("onloop could not open its database " + url + ": " + sql.getMessage(), action, sql);
            }
        }
        return null;
    }

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
