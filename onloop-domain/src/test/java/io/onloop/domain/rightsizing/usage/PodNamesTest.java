package io.onloop.domain.rightsizing.usage;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The patterns use only what RE2 and java.util.regex agree on, so Java's matcher checks them here. */
class PodNamesTest {

    @Test
    void aDeploymentsPodsCarryTheReplicaSetHashAndAFiveCharacterSuffix() {
        Pattern cart = Pattern.compile(PodNames.pattern("Deployment", "cart"));

        assertThat(cart.matcher("cart-7d9f8b6c5-x2x4z").matches()).isTrue();
        assertThat(cart.matcher("cart-5b4f9c-bq8wz").matches()).isTrue();
        // a DaemonSet "cart-api" and a Deployment "cart-api": their pods are not cart's
        assertThat(cart.matcher("cart-api-x2x4z").matches()).isFalse();
        assertThat(cart.matcher("cart-api-7d9f8b6c5-x2x4z").matches()).isFalse();
        assertThat(cart.matcher("cart-7d9f8b6c5-x2x4").matches()).isFalse();
        assertThat(cart.matcher("xcart-7d9f8b6c5-x2x4z").matches()).isFalse();
    }

    @Test
    void aStatefulSetsPodsAreNumberedFromZero() {
        Pattern db = Pattern.compile(PodNames.pattern("StatefulSet", "db"));

        assertThat(db.matcher("db-0").matches()).isTrue();
        assertThat(db.matcher("db-12").matches()).isTrue();
        assertThat(db.matcher("db-01").matches()).isFalse();
        assertThat(db.matcher("db-replica-0").matches()).isFalse();
    }

    @Test
    void aDaemonSetsPodsHaveOnlyTheSuffix() {
        Pattern agent = Pattern.compile(PodNames.pattern("DaemonSet", "node-agent"));

        assertThat(agent.matcher("node-agent-k8w2n").matches()).isTrue();
        assertThat(agent.matcher("node-agent-7d9f8b6c5-k8w2n").matches()).isFalse();
        assertThat(agent.matcher("node-agent-abcde").matches()).isFalse(); // vowels are never generated
    }

    @Test
    void aDotInTheNameMatchesOnlyADot() {
        Pattern web = Pattern.compile(PodNames.pattern("StatefulSet", "web.v2"));

        assertThat(PodNames.pattern("StatefulSet", "web.v2")).startsWith("web\\.v2-");
        assertThat(web.matcher("web.v2-0").matches()).isTrue();
        assertThat(web.matcher("webxv2-0").matches()).isFalse();
        assertThat(PodNames.literal("a+b(c)[d]{e}|f^g$h*i?j\\k")).isEqualTo("a\\+b\\(c\\)\\[d\\]\\{e\\}\\|f\\^g\\$h\\*i\\?j\\\\k");
    }

    @Test
    void longNamesAreCutAt58CharactersBeforeTheSuffixAsKubernetesCutsThem() {
        String name = "payments-reconciliation-worker-eu-west-1-primary"; // 48 characters
        Pattern deployment = Pattern.compile(PodNames.pattern("Deployment", name));
        Pattern daemonSet = Pattern.compile(PodNames.pattern("DaemonSet", name + "-node-agent")); // 59 characters

        // "<name>-<hash>-" fits in 58 characters up to an 8-character hash; from 9 on it is cut after 9
        assertThat(deployment.matcher(name + "-6b7c-x2x4z").matches()).isTrue();
        assertThat(deployment.matcher(name + "-6b7c9d8f-x2x4z").matches()).isTrue();
        assertThat(deployment.matcher(name + "-6b7c9d8f5" + "x2x4z").matches()).isTrue();
        assertThat(deployment.matcher(name + "-6b7c9d8f5-x2x4z").matches()).isFalse(); // 59: Kubernetes cuts the "-"
        // the DaemonSet's "<name>-" is 60 characters: cut to the first 58 of the name
        assertThat(daemonSet.matcher((name + "-node-agent").substring(0, 58) + "k8w2n").matches()).isTrue();
        assertThat(daemonSet.matcher(name + "-node-agent-k8w2n").matches()).isFalse();
    }

    @Test
    void otherKindsAreRefused() {
        assertThatThrownBy(() -> PodNames.pattern("Rollout", "cart")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Rollout");
    }
}
