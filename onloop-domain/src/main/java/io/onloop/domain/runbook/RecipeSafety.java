package io.onloop.domain.runbook;

import io.onloop.domain.runbook.Recipe.Level;
import io.onloop.domain.runbook.Recipe.Remediation;
import io.onloop.domain.runbook.Recipe.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last pass over every recipe, whatever its source (knowledge base, an operator's edit, an
 * LLM): a command that looks destructive gets a warning and is never the recommended option, and
 * the recommended option is the least risky one that is not destructive.
 */
public final class RecipeSafety {
    /** Where a command word stands: the start, after ; && || or a pipe and a space, or sudo (not grep 'a|reboot'). */
    private static final String COMMAND_START = "(?:^|;\\s*|&&\\s*|\\|\\|\\s*|\\|\\s+|\\bsudo\\s+|\\bsystemctl\\s+)";

    /**
     * Commands that delete, drop, terminate, force, scale to zero, wipe or kill, or run what they download. Checked on
     * commands, not prose ("packets dropped" is a symptom, "DROP TABLE" is an action); a verb
     * inside a query or filter ({@code methodName="compute.instances.delete"}) is not an action.
     */
    static final Pattern DESTRUCTIVE = Pattern.compile(String.join("|",
            "(?<![.\\w\"'=/-])(?:delete|terminate)(?:-[a-z-]+)?\\b", "--delete\\b", "\\bderegister", "\\bdrop\\s+(?:table|database|schema|index|user|role|collection)\\b",
            "\\.drop(?:Database)?\\(", "\\btruncate\\b", "\\bdestroy\\b", "(?<![.\\w\"'|%-])purge(?:[-_][a-z]+)?\\b", "\\bwipe\\b",
            "\\brm\\s+-[a-z]*[rf]", "--force(?![\\w-])", "--grace-period[= ]0\\b", "\\bkill\\s+-9\\b", "\\bpkill\\b",
            "\\bkillall\\b", "\\bmkfs", "\\bdd\\s+if=", "--replicas[= ]0\\b", "--desired-count[= ]0\\b",
            "--min-size[= ]0\\b.{0,200}--max-size[= ]0\\b", "(?<![-+])\\bflush(?:all|db)\\b", "\\breset\\s+--hard\\b",
            "\\bscale\\b[^|;&]{0,200}\\bto\\s+0\\b",
            // found missing by exploratory testing: deleting, stopping or flushing under other names
            "(?<=\\s)-delete\\b", "\\bshred\\b", "\\bkill\\s+(?:-s\\s+)?-?(?:sig)?kill\\b", "\\bs3\\s+(?:rm|rb)\\b",
            // in a command's place: at the start, after ; && || or a pipe with a space, or sudo; not in grep 'a|reboot'
            COMMAND_START + "(?:shutdown|reboot|poweroff)\\b", "\\bprune\\b", "\\buninstall\\b",
            COMMAND_START + ":[ ]?>", "\\bip6?tables\\b[^|;&]{0,200}\\s(?:(?-i:-F|-X)|--flush)(?!\\w)",
            "\\bsystemctl\\s+(?:stop|mask)\\b", "-auto-approve\\b", "\\bkubectl\\s+drain\\b",
            // download and run: whatever the URL serves at that moment runs with the operator's rights
            "\\b(?:curl|wget)\\b[^;&]{0,300}\\|\\s*(?:sudo\\s+)?(?:(?:ba|z|da|k)?sh|python3?|perl|ruby)\\b",
            "\\b(?:(?:ba|z|da|k)?sh|python3?)\\s+(?:-c\\s+[\"']?\\$\\(|<\\(\\s*)(?:curl|wget)\\b"),
            Pattern.CASE_INSENSITIVE);
    /**
     * A word every alternative of {@link #DESTRUCTIVE} needs, so a new alternative needs its word here. The pattern
     * is case-insensitive for ASCII letters only, so a match is always in the lower-cased command. Most commands have
     * none of these words, and looking for them is much cheaper than the pattern, which tries every alternative at
     * every position of the command: without this, the pattern was most of the time a knowledge-base recipe took.
     */
    private static final List<String> DESTRUCTIVE_WORDS = List.of("delete", "terminate", "deregister", "drop",
            "truncate", "destroy", "purge", "wipe", "rm", "force", "grace-period", "kill", "mkfs", "dd", "replicas",
            "desired-count", "min-size", "flush", "reset", "scale", "shred", "s3", "shutdown", "reboot", "poweroff", "prune",
            "uninstall", ":>", ": >", "iptables", "ip6tables", "systemctl", "auto-approve", "drain", "curl", "wget");

    /**
     * Of those, the ones whose data is gone once run: whatever an option says of itself (a model's "fully
     * reversible"), it is not reversible. Stopping, scaling to zero or rebooting can be undone, so are not here.
     */
    static final Pattern IRREVERSIBLE = Pattern.compile(String.join("|",
            "\\bdrop\\s+(?:table|database|schema|collection)\\b", "\\.drop(?:Database)?\\(", "\\btruncate\\b",
            "\\brm\\s+-[a-z]*r", "\\bmkfs", "\\bdd\\s+if=", "\\bwipe\\b", "\\bshred\\b", "\\bs3\\s+(?:rm|rb)\\b",
            "(?<![-+])\\bflush(?:all|db)\\b", "\\breset\\s+--hard\\b", "\\bdestroy\\b"), Pattern.CASE_INSENSITIVE);

    public static final String DESTRUCTIVE_WARNING =
            "WARNING: this command looks destructive (%s). Check the target and have a way back before running it.";

    private RecipeSafety() {
    }

    /** The destructive word in a command, if any. */
    public static Optional<String> destructive(String command) {
        if (command == null || command.isEmpty()) {
            return Optional.empty();
        }
        String lower = command.toLowerCase(Locale.ROOT);
        if (DESTRUCTIVE_WORDS.stream().noneMatch(lower::contains)) {
            return Optional.empty();
        }
        Matcher m = DESTRUCTIVE.matcher(command);
        return m.find() ? Optional.of(m.group().strip()) : Optional.empty();
    }

    public static Recipe apply(Recipe r) {
        // the steps' warnings are said again below for the steps as they are now: a recipe whose steps were
        // rewritten (by a model) keeps no warning about a step it no longer has
        List<String> warnings = new ArrayList<>(r.warnings().stream().filter(w -> !w.startsWith(STEP_WARNING)).toList());
        List<Remediation> options = new ArrayList<>();
        int recommended = -1;
        for (Remediation o : r.remediation()) {
            Optional<String> d = destructive(o.command());
            String warning = d.map(DESTRUCTIVE_WARNING::formatted).orElse("");
            boolean reversible = o.reversible() && (d.isEmpty() || !IRREVERSIBLE.matcher(o.command()).find());
            options.add(new Remediation(o.action(), o.command(), d.isPresent() ? Level.HIGH : o.risk(), o.effect(),
                    reversible, o.automatable(), false, warning));
            if (d.isEmpty() && (recommended < 0 || rank(o.risk()) < rank(options.get(recommended).risk()))) {
                recommended = options.size() - 1;
            }
        }
        if (recommended >= 0) {
            Remediation o = options.get(recommended);
            options.set(recommended, new Remediation(o.action(), o.command(), o.risk(), o.effect(), o.reversible(),
                    o.automatable(), true, o.warning()));
        }
        List<Step> validation = steps(r.validation(), warnings);
        List<Step> troubleshooting = steps(r.troubleshooting(), warnings);
        return new Recipe(r.interpretation(), r.severity(), validation, troubleshooting, r.rootCauses(), options,
                r.references(), r.provenance(), warnings);
    }

    private static final String STEP_WARNING = "A validation or troubleshooting step has a destructive command (";

    /** A destructive command has no place in looking around: it stays visible, flagged, with a recipe warning. */
    private static List<Step> steps(List<Step> steps, List<String> warnings) {
        List<Step> out = new ArrayList<>(steps.size());
        for (Step s : steps) {
            Optional<String> d = destructive(s.command());
            if (d.isPresent()) {
                out.add(new Step(s.step(), s.command(), DESTRUCTIVE_WARNING.formatted(d.get())));
                String warning = STEP_WARNING + d.get() + "); it is not needed to look around.";
                if (!warnings.contains(warning)) { // once, however many steps have it
                    warnings.add(warning);
                }
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private static int rank(Level risk) {
        return switch (risk) {
            case LOW -> 0;
            case MEDIUM -> 1;
            case HIGH -> 2;
        };
    }
}
