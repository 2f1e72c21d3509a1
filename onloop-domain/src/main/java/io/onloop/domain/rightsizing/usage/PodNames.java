package io.onloop.domain.rightsizing.usage;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The names the controllers give a workload's pods, as a regular expression (RE2, which Prometheus uses,
 * matched against the whole name):
 * <ul>
 *     <li>Deployment {@code cart}: {@code cart-<pod-template-hash>-<5>}, e.g. {@code cart-7d9f8b6c5-x2x4z}</li>
 *     <li>StatefulSet {@code db}: {@code db-<ordinal>}, e.g. {@code db-0}</li>
 *     <li>DaemonSet {@code agent}: {@code agent-<5>}, e.g. {@code agent-k8w2n}</li>
 * </ul>
 * The hash and the suffix come from Kubernetes' safe alphabet (no vowels, no 0, 1 or 3), which keeps a
 * Deployment {@code cart} from matching the pods of a DaemonSet {@code cart-api}. As Kubernetes does, a
 * generated prefix ({@code cart-7d9f8b6c5-}) longer than 58 characters is cut there before the suffix.
 */
public final class PodNames {

    /** k8s.io/apimachinery/pkg/util/rand: the alphabet of pod-template hashes and generated name suffixes. */
    static final String SAFE = "[bcdfghjklmnpqrstvwxz2456789]";
    /** k8s.io/apiserver names.MaxGeneratedNameLength: 63 less the 5 random characters. */
    static final int MAX_PREFIX = 58;
    /** A ReplicaSet's hash is a uint32 printed in decimal, then safe-encoded: 1 to 10 characters. */
    static final int MAX_HASH = 10;

    private PodNames() {
    }

    /** The pattern for the pods of workload {@code name} of {@code kind}. */
    public static String pattern(String kind, String name) {
        return switch (kind) {
            case "Deployment" -> name.length() + 1 + MAX_HASH + 1 <= MAX_PREFIX
                    ? literal(name) + "-" + SAFE + "{1," + MAX_HASH + "}-" + SAFE + "{5}"
                    : longDeployment(name);
            case "StatefulSet" -> literal(name) + "-(0|[1-9][0-9]*)";
            case "DaemonSet" -> generated(name, 0);
            default -> throw new IllegalArgumentException("no pod naming known for kind " + kind
                    + " (Deployment, StatefulSet or DaemonSet)");
        };
    }

    /** One alternative per hash length, since the cut falls at a different place in each. */
    private static String longDeployment(String name) {
        Set<String> alternatives = new LinkedHashSet<>();
        for (int hash = 1; hash <= MAX_HASH; hash++) {
            alternatives.add(generated(name, hash));
        }
        return alternatives.size() == 1 ? alternatives.iterator().next() : "(" + String.join("|", alternatives) + ")";
    }

    /** {@code name-[hash-]} cut at {@link #MAX_PREFIX} characters, then the 5 random ones. */
    private static String generated(String name, int hashLength) {
        int room = MAX_PREFIX;
        String kept = name.substring(0, Math.min(name.length(), room));
        StringBuilder pattern = new StringBuilder(literal(kept));
        room -= kept.length();
        if (room > 0) {
            pattern.append('-');
            room--;
        }
        int hash = Math.min(hashLength, room);
        if (hash > 0) {
            pattern.append(SAFE).append('{').append(hash).append('}');
            room -= hash;
            if (room > 0) {
                pattern.append('-');
            }
        }
        return pattern.append(SAFE).append("{5}").toString();
    }

    /** Escapes the characters RE2 gives a meaning to, so {@code web.v2} matches a dot and nothing else. */
    static String literal(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (char c : text.toCharArray()) {
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
