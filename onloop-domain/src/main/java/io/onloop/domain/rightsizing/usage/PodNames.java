package io.onloop.domain.rightsizing.usage;

/**
 * The names the controllers give a workload's pods, as a regular expression (RE2, which Prometheus uses,
 * matched against the whole name):
 * <ul>
 *     <li>Deployment {@code cart}: {@code cart-<pod-template-hash>-<5>}, e.g. {@code cart-7d9f8b6c5-x2x4z}</li>
 *     <li>StatefulSet {@code db}: {@code db-<ordinal>}, e.g. {@code db-0}</li>
 *     <li>DaemonSet {@code agent}: {@code agent-<5>}, e.g. {@code agent-k8w2n}</li>
 * </ul>
 * The hash and the suffix come from Kubernetes' safe alphabet (no vowels, no 0, 1 or 3), which keeps a
 * Deployment {@code cart} from matching the pods of a DaemonSet {@code cart-api}. A name long enough for
 * Kubernetes to truncate ({@code generateName} keeps 58 characters) is not matched.
 */
public final class PodNames {

    /** k8s.io/apimachinery/pkg/util/rand: the alphabet of pod-template hashes and generated name suffixes. */
    static final String SAFE = "[bcdfghjklmnpqrstvwxz2456789]";

    private PodNames() {
    }

    /** The pattern for the pods of workload {@code name} of {@code kind}. */
    public static String pattern(String kind, String name) {
        String literal = literal(name);
        return switch (kind) {
            // the ReplicaSet's hash is a uint32 printed in decimal, then safe-encoded: 1 to 10 characters
            case "Deployment" -> literal + "-" + SAFE + "{1,10}-" + SAFE + "{5}";
            case "StatefulSet" -> literal + "-(0|[1-9][0-9]*)";
            case "DaemonSet" -> literal + "-" + SAFE + "{5}";
            default -> throw new IllegalArgumentException("no pod naming known for kind " + kind
                    + " (Deployment, StatefulSet or DaemonSet)");
        };
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
