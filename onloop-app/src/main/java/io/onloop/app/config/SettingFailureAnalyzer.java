package io.onloop.app.config;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A start stopped by one of onloop's own settings ("onloop.llm.provider: ... is not one of ...") is reported as that
 * one line and what to do, instead of the message at the bottom of a stack trace of nested bean-creation errors.
 * onloop's checks say which setting and why in a message that starts with the setting's name.
 */
public final class SettingFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if ((t instanceof IllegalArgumentException || t instanceof IllegalStateException)
                    && t.getMessage() != null && t.getMessage().startsWith("onloop.")) {
                return new FailureAnalysis(t.getMessage(), "Correct that setting (in application.yaml, on the command "
                        + "line as --" + setting(t.getMessage()) + "=..., or in the environment) and start onloop again. "
                        + "Every setting is listed in the README's configuration table.", t);
            }
        }
        return null;
    }

    /** "onloop.llm.provider: x" -> "onloop.llm.provider". */
    static String setting(String message) {
        int end = 0;
        while (end < message.length() && (Character.isLetterOrDigit(message.charAt(end)) || ".-[]_".indexOf(message.charAt(end)) >= 0)) {
            end++;
        }
        String name = message.substring(0, end);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
