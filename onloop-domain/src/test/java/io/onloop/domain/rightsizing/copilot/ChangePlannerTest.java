package io.onloop.domain.rightsizing.copilot;

import io.onloop.domain.json.Json;
import io.onloop.domain.rightsizing.Evidence;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.SettingChange;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.copilot.ChangePlan.Kind;
import io.onloop.domain.rightsizing.copilot.ChangePlanner.Manifest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangePlannerTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    static Recommendation rec(WorkloadRef w, SettingChange... changes) {
        return new Recommendation(w, Recommendation.Direction.DOWN, List.of(changes),
                new Evidence(T.minusSeconds(86400), T, 288, Map.of(), List.of()), 10, 5, "USD", 0.2, List.of(), 0.7, T);
    }

    static WorkloadRef deployment(String name, String namespace, String container) {
        return new WorkloadRef("kubernetes", "prod", namespace, "Deployment", name, container);
    }

    static final SettingChange CPU = new SettingChange(SettingChange.CPU_REQUEST, "1", "250m");
    static final SettingChange MEMORY = new SettingChange(SettingChange.MEMORY_REQUEST, "2Gi", "512Mi");
    static final SettingChange MEMORY_LIMIT = new SettingChange(SettingChange.MEMORY_LIMIT, "2Gi", "768Mi");

    private static ChangePlan.Step step(ChangePlan plan, Kind kind) {
        return plan.steps().stream().filter(s -> s.kind() == kind).findFirst().orElseThrow();
    }

    @Test
    void aKubernetesPlanIsTheStrategicMergePatchAndTheKubectlCommand() {
        var plan = ChangePlanner.plan(rec(deployment("cart", "shop", "app"), MEMORY_LIMIT, CPU, MEMORY), null);
        String patch = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"resources\":"
                + "{\"requests\":{\"cpu\":\"250m\",\"memory\":\"512Mi\"},\"limits\":{\"memory\":\"768Mi\"}}}]}}}}";
        assertThat(step(plan, Kind.KUBERNETES_PATCH).content()).isEqualTo(patch);
        assertThat(step(plan, Kind.KUBECTL).content())
                .isEqualTo("kubectl patch deployment/cart -n shop --type strategic -p '" + patch + "'");
        assertThat(plan.notes()).anyMatch(n -> n.startsWith("Nothing has been applied"));
    }

    @Test
    void namesThatAShellOrJsonWouldMisreadAreQuotedAndEscaped() {
        // names come from outside (a cluster, a source): they must not break out of the patch or the command
        var w = new WorkloadRef("kubernetes", "prod", "it's", "StatefulSet", "db;rm -rf", "a\"b\\c\n");
        var plan = ChangePlanner.plan(rec(w, CPU), null);
        String patch = step(plan, Kind.KUBERNETES_PATCH).content();
        assertThat(patch).isEqualTo("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\\\"b\\\\c\\n\","
                + "\"resources\":{\"requests\":{\"cpu\":\"250m\"}}}]}}}}");
        assertThat(step(plan, Kind.KUBECTL).content()).isEqualTo("kubectl patch 'statefulset/db;rm -rf' -n 'it'\\''s'"
                + " --type strategic -p '" + patch + "'");
    }

    @Test
    void aNameIsNeverAnOptionNorAPath() {
        var plan = ChangePlanner.plan(rec(new WorkloadRef("kubernetes", "prod", "shop", "DaemonSet", "--dry-run=none",
                "app"), CPU), null);
        assertThat(step(plan, Kind.KUBECTL).content()).startsWith("kubectl patch daemonset/--dry-run=none -n shop ");
        assertThat(step(plan, Kind.KUSTOMIZE_PATCH).path()).isEqualTo("_-dry-run_none-resources.patch.yaml");
        var climbing = ChangePlanner.plan(rec(deployment("../../etc/passwd", "shop", "app"), CPU), null);
        assertThat(step(climbing, Kind.KUSTOMIZE_PATCH).path()).isEqualTo("_._.._etc_passwd-resources.patch.yaml");
    }

    @Test
    void withoutAManifestTheGitPatchIsAKustomizePatchFile() {
        var plan = ChangePlanner.plan(rec(deployment("cart", "shop", "app"), CPU, MEMORY_LIMIT), null);
        var kustomize = step(plan, Kind.KUSTOMIZE_PATCH);
        assertThat(kustomize.path()).isEqualTo("cart-resources.patch.yaml");
        assertThat(kustomize.content()).isEqualTo("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: cart
                  namespace: shop
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          resources:
                            requests:
                              cpu: 250m
                            limits:
                              memory: 768Mi
                """);
        assertThat(plan.steps()).noneMatch(s -> s.kind() == Kind.GIT_DIFF);
    }

    static final String MANIFEST = """
            apiVersion: v1
            kind: Service
            metadata:
              name: cart
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: cart
              namespace: shop
            spec:
              replicas: 3
              template:
                spec:
                  containers:
                    - name: sidecar
                      image: envoy:1.30
                      resources:
                        requests:
                          cpu: 100m
                    - name: app
                      image: shop/cart:1.2   # pinned
                      ports:
                        - containerPort: 8080
                      resources:
                        requests:
                          cpu: "1"  # one core
                          memory: 2Gi
                        limits:
                          memory: 2Gi
                  nodeSelector:
                    pool: general
            """;

    @Test
    void withTheManifestTheGitPatchIsAUnifiedDiffOfOnlyTheContainersResources() {
        var plan = ChangePlanner.plan(rec(deployment("cart", "shop", "app"), CPU, MEMORY, MEMORY_LIMIT),
                new Manifest("deploy/cart.yaml", MANIFEST));
        var diff = step(plan, Kind.GIT_DIFF);
        assertThat(diff.path()).isEqualTo("deploy/cart.yaml");
        assertThat(diff.content()).isEqualTo("""
                --- a/deploy/cart.yaml
                +++ b/deploy/cart.yaml
                @@ -24,9 +24,9 @@
                             - containerPort: 8080
                           resources:
                             requests:
                -              cpu: "1"  # one core
                -              memory: 2Gi
                +              cpu: 250m  # one core
                +              memory: 512Mi
                             limits:
                -              memory: 2Gi
                +              memory: 768Mi
                       nodeSelector:
                         pool: general
                """);
        assertThat(plan.steps()).noneMatch(s -> s.kind() == Kind.KUSTOMIZE_PATCH);
    }

    @Test
    void theDiffAppliesWithGitApply(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cart.yaml");
        Files.writeString(file, MANIFEST);
        var plan = ChangePlanner.plan(rec(deployment("cart", "shop", "app"), CPU, MEMORY_LIMIT,
                new SettingChange(SettingChange.CPU_LIMIT, "", "2")), new Manifest("cart.yaml", MANIFEST));
        Files.writeString(dir.resolve("change.diff"), step(plan, Kind.GIT_DIFF).content());
        Process git;
        try {
            git = new ProcessBuilder("git", "apply", "change.diff").directory(dir.toFile()).redirectErrorStream(true)
                    .start();
        } catch (java.io.IOException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw e;
            }
            Assumptions.abort("git is not installed: " + e.getMessage());
            return;
        }
        String output = new String(git.getInputStream().readAllBytes());
        assertThat(git.waitFor()).as("git apply: %s", output).isZero();
        assertThat(Files.readString(file)).isEqualTo(MANIFEST
                .replace("cpu: \"1\"  # one core", "cpu: 250m  # one core")
                .replace("    limits:\n              memory: 2Gi", "    limits:\n              memory: 768Mi\n"
                        + "              cpu: 2"));
    }

    @Test
    void missingResourcesAreAddedInTheManifestsOwnIndentation() {
        String yaml = """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: agent
                spec:
                  template:
                    spec:
                      containers:
                      - name: agent
                        image: agent:2
                      - name: other
                        image: other:1
                        resources: {}
                """;
        var w = new WorkloadRef("kubernetes", "prod", "kube-system", "DaemonSet", "agent", "agent");
        var plan = ChangePlanner.plan(rec(w, CPU, MEMORY_LIMIT), new Manifest(null, yaml));
        assertThat(step(plan, Kind.GIT_DIFF).content()).isEqualTo("""
                --- a/manifest.yaml
                +++ b/manifest.yaml
                @@ -8,6 +8,11 @@
                       containers:
                       - name: agent
                         image: agent:2
                +        resources:
                +          requests:
                +            cpu: 250m
                +          limits:
                +            memory: 768Mi
                       - name: other
                         image: other:1
                         resources: {}
                """);
        var other = new WorkloadRef("kubernetes", "prod", "", "DaemonSet", "agent", "other");
        assertThat(step(ChangePlanner.plan(rec(other, CPU), new Manifest(null, yaml)), Kind.GIT_DIFF).content())
                .isEqualTo("""
                        --- a/manifest.yaml
                        +++ b/manifest.yaml
                        @@ -10,4 +10,6 @@
                                 image: agent:2
                               - name: other
                                 image: other:1
                        -        resources: {}
                        +        resources:
                        +          requests:
                        +            cpu: 250m
                        """);
    }

    @Test
    void aBlankRecommendedValueRemovesTheSetting() {
        var removeLimit = new SettingChange(SettingChange.MEMORY_LIMIT, "2Gi", "");
        var plan = ChangePlanner.plan(rec(deployment("cart", "shop", "app"), removeLimit),
                new Manifest("m.yaml", MANIFEST));
        assertThat(step(plan, Kind.KUBERNETES_PATCH).content()).contains("\"limits\":{\"memory\":null}");
        assertThat(step(plan, Kind.GIT_DIFF).content()).isEqualTo("""
                --- a/m.yaml
                +++ b/m.yaml
                @@ -26,7 +26,5 @@
                             requests:
                               cpu: "1"  # one core
                               memory: 2Gi
                -            limits:
                -              memory: 2Gi
                       nodeSelector:
                         pool: general
                """);
    }

    @Test
    void aManifestWithoutTheWorkloadOrContainerIsRefusedPrecisely() {
        assertThatThrownBy(() -> ChangePlanner.plan(rec(deployment("checkout", "shop", "app"), CPU),
                new Manifest(null, MANIFEST))).isInstanceOf(PlanException.class)
                .hasMessage("the manifest has no Deployment \"checkout\"");
        assertThatThrownBy(() -> ChangePlanner.plan(rec(deployment("cart", "shop", "web"), CPU),
                new Manifest(null, MANIFEST))).isInstanceOf(PlanException.class)
                .hasMessage("Deployment \"cart\" in the manifest has no container named \"web\"");
        assertThatThrownBy(() -> ChangePlanner.plan(rec(deployment("cart", "other", "app"), CPU),
                new Manifest(null, MANIFEST))).hasMessage("the manifest has no Deployment \"cart\"");
        assertThatThrownBy(() -> new Manifest("../etc/passwd", MANIFEST)).isInstanceOf(PlanException.class);
    }

    @Test
    void aValueContinuedOnTheNextLineIsRefusedNotHalfReplaced() {
        String folded = MANIFEST.replace("""
                          cpu: "1"  # one core
                """, """
                          cpu: >-
                            1
                """);
        assertThat(folded).isNotEqualTo(MANIFEST);
        assertThatThrownBy(() -> ChangePlanner.plan(rec(deployment("cart", "shop", "app"), CPU), new Manifest(null, folded)))
                .isInstanceOf(PlanException.class).hasMessageContaining("does not hold its value on one line");
    }

    @Test
    void aValueThatIsNotAQuantityIsRefused() {
        var bad = new SettingChange(SettingChange.CPU_REQUEST, "1", "250m'; rm -rf /");
        assertThatThrownBy(() -> ChangePlanner.plan(rec(deployment("cart", "shop", "app"), bad), null))
                .isInstanceOf(PlanException.class).hasMessageContaining("is not a Kubernetes quantity");
        var instanceType = new SettingChange(SettingChange.INSTANCE_TYPE, "m5.large", "t3.small");
        assertThatThrownBy(() -> ChangePlanner.plan(rec(deployment("cart", "shop", "app"), instanceType), null))
                .hasMessageContaining("setting \"instanceType\" cannot be changed on a Deployment");
    }

    @Test
    void anEc2TypeChangeIsStopModifyStart() {
        var w = new WorkloadRef("aws", "123456789012/eu-west-1", "", "EC2Instance", "i-0abc", "");
        var plan = ChangePlanner.plan(rec(w, new SettingChange(SettingChange.INSTANCE_TYPE, "m5.xlarge", "m6i.large")),
                null);
        assertThat(plan.steps()).extracting(ChangePlan.Step::kind).containsOnly(Kind.AWS_API_CALL);
        assertThat(plan.steps()).extracting(ChangePlan.Step::content).containsExactly(
                "{\"service\":\"ec2\",\"operation\":\"StopInstances\",\"environment\":\"123456789012/eu-west-1\","
                        + "\"parameters\":{\"InstanceIds\":[\"i-0abc\"]}}",
                "{\"service\":\"ec2\",\"operation\":\"ModifyInstanceAttribute\",\"environment\":\"123456789012/eu-west-1\","
                        + "\"parameters\":{\"InstanceId\":\"i-0abc\",\"InstanceType\":{\"Value\":\"m6i.large\"}}}",
                "{\"service\":\"ec2\",\"operation\":\"StartInstances\",\"environment\":\"123456789012/eu-west-1\","
                        + "\"parameters\":{\"InstanceIds\":[\"i-0abc\"]}}");
        assertThatThrownBy(() -> ChangePlanner.plan(rec(w, new SettingChange(SettingChange.INSTANCE_TYPE, "", "big")),
                null)).isInstanceOf(PlanException.class);
    }

    @Test
    void aLambdaMemoryChangeIsUpdateFunctionConfiguration() {
        var w = new WorkloadRef("aws", "acct", "", "LambdaFunction", "resize", "");
        var plan = ChangePlanner.plan(rec(w, new SettingChange(SettingChange.FUNCTION_MEMORY_MB, "1024", "512")), null);
        assertThat(plan.steps()).singleElement().extracting(ChangePlan.Step::content).isEqualTo(
                "{\"service\":\"lambda\",\"operation\":\"UpdateFunctionConfiguration\",\"environment\":\"acct\","
                        + "\"parameters\":{\"FunctionName\":\"resize\",\"MemorySize\":512}}");
        assertThatThrownBy(() -> ChangePlanner.plan(rec(w, new SettingChange(SettingChange.FUNCTION_MEMORY_MB, "1024",
                "64")), null)).hasMessage("memoryMB: \"64\" is not a whole number from 128 to 10240");
    }

    @Test
    void anEbsVolumeIsModifiedToGp3OrSnapshottedAndDeleted() {
        var w = new WorkloadRef("aws", "acct", "", "EBSVolume", "vol-01", "");
        var gp3 = ChangePlanner.plan(rec(w, new SettingChange(SettingChange.VOLUME_TYPE, "gp2", "gp3"),
                new SettingChange(SettingChange.IOPS, "", "3000"),
                new SettingChange(SettingChange.THROUGHPUT_MIBPS, "", "250")), null);
        assertThat(gp3.steps()).singleElement().extracting(ChangePlan.Step::content).isEqualTo(
                "{\"service\":\"ec2\",\"operation\":\"ModifyVolume\",\"environment\":\"acct\","
                        + "\"parameters\":{\"VolumeId\":\"vol-01\",\"VolumeType\":\"gp3\",\"Iops\":3000,\"Throughput\":250}}");
        var delete = ChangePlanner.plan(rec(w, new SettingChange(SettingChange.EXISTENCE, "unattached", "deleted")), null);
        assertThat(delete.steps()).extracting(ChangePlan.Step::content).containsExactly(
                "{\"service\":\"ec2\",\"operation\":\"CreateSnapshot\",\"environment\":\"acct\",\"parameters\":"
                        + "{\"VolumeId\":\"vol-01\",\"Description\":\"onloop: snapshot of vol-01 before deleting it\"}}",
                "{\"service\":\"ec2\",\"operation\":\"DeleteVolume\",\"environment\":\"acct\","
                        + "\"parameters\":{\"VolumeId\":\"vol-01\"}}");
        assertThatThrownBy(() -> ChangePlanner.plan(rec(w, new SettingChange(SettingChange.VOLUME_TYPE, "gp2", "gp9")),
                null)).isInstanceOf(PlanException.class).hasMessageContaining("volumeType: \"gp9\" is not one of");
    }

    @Test
    void everyRecommendationTheEbsRightsizerMakesHasAPlan() {
        var rightsizer = new io.onloop.domain.rightsizing.EbsRightsizer(io.onloop.domain.rightsizing.PricingCatalog.defaults(),
                java.time.Clock.systemUTC());
        var w = new WorkloadRef("aws", "acct", "", "EBSVolume", "vol-02", "");
        // 2 TB of gp2 has a 6,000 IOPS baseline: gp3 must be given IOPS (and throughput) to match it
        var big = rightsizer.recommend(new io.onloop.domain.rightsizing.inventory.EbsVolume(w, "gp2", 2000,
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.of("i-1"))).orElseThrow();
        assertThat(big.changes()).extracting(SettingChange::setting).contains(SettingChange.VOLUME_TYPE, SettingChange.IOPS);
        assertThat(ChangePlanner.plan(big, null).steps()).singleElement().extracting(ChangePlan.Step::content)
                .asString().contains("\"VolumeType\":\"gp3\"").contains("\"Iops\":6000");
        var unattached = rightsizer.recommend(new io.onloop.domain.rightsizing.inventory.EbsVolume(w, "gp3", 100,
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty())).orElseThrow();
        assertThat(ChangePlanner.plan(unattached, null).steps()).hasSize(2);
    }

    @Test
    void aMoveToGravitonIsAReplacementNotAnInPlaceModify() {
        var w = new WorkloadRef("aws", "acct", "", "EC2Instance", "i-0abc", "");
        var arm = ChangePlanner.plan(rec(w, new SettingChange(SettingChange.INSTANCE_TYPE, "m6i.xlarge", "m7g.large")), null);
        assertThat(arm.steps()).isEmpty();
        assertThat(arm.notes()).first().asString().contains("x86_64 to arm64").contains("AMI");
        var same = ChangePlanner.plan(rec(w, new SettingChange(SettingChange.INSTANCE_TYPE, "m6i.xlarge", "m6a.large")), null);
        assertThat(same.steps()).extracting(ChangePlan.Step::content).anySatisfy(c -> assertThat(c).contains("ModifyInstanceAttribute"));
        assertThat(ChangePlanner.graviton("c7gn.large")).isTrue();
        assertThat(ChangePlanner.graviton("t4g.micro")).isTrue();
        assertThat(ChangePlanner.graviton("g4dn.xlarge")).isFalse();
        assertThat(ChangePlanner.graviton("m5zn.large")).isFalse();
    }

    @Test
    void jsonStringsEscapeQuotesBackslashesAndControlCharacters() {
        assertThat(Json.string("a\"b\\c\n\t\u0001\u2028é")).isEqualTo("\"a\\\"b\\\\c\\n\\t\\u0001\\u2028é\"");
        assertThat(Json.write(Map.of("k", List.of(1, true)))).isEqualTo("{\"k\":[1,true]}");
    }
}
