package io.onloop.domain.rightsizing.copilot;

import io.onloop.domain.json.Json;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.SettingChange;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.copilot.ChangePlan.Kind;
import io.onloop.domain.rightsizing.copilot.ChangePlan.Step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a recommendation's setting changes into the exact change: for a Kubernetes workload a strategic-merge
 * patch, the {@code kubectl patch} command and a patch for the manifest in Git; for AWS the API calls. Values
 * are checked against the platform's syntax first, so a plan never carries something the platform would
 * reject or a shell would misread. Plans are text for people and the autopilot; nothing is applied here.
 */
public final class ChangePlanner {

    /** Extra settings an EBS gp3 change may carry (the IOPS and the throughput in MiB/s to provision). */

    /** The manifest in Git that declares the workload, when the approver supplies it. */
    public record Manifest(String path, String yaml) {
        public Manifest {
            path = path == null || path.isBlank() ? "manifest.yaml" : path.strip();
            if (yaml == null || yaml.isBlank()) {
                throw new PlanException("the manifest is empty");
            }
            if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || path.startsWith("/") || path.contains("..")) {
                throw new PlanException("the manifest path must be a relative path in the repository, on one line");
            }
        }
    }

    private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet");
    /** Kubernetes resource quantities (apimachinery resource.Quantity), unsigned. */
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*");
    private static final Set<String> VOLUME_TYPES = Set.of("gp2", "gp3", "io1", "io2", "st1", "sc1", "standard");
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ChangePlanner() {
    }

    /**
     * @param manifest the workload's manifest in Git, or null (a Kubernetes plan then offers a kustomize patch)
     * @throws PlanException when a setting cannot be changed on that kind of workload, a value is not valid
     *                       for the platform, or the manifest does not declare the workload
     */
    public static ChangePlan plan(Recommendation recommendation, Manifest manifest) {
        WorkloadRef w = recommendation.workload();
        return switch (w.provider()) {
            case "kubernetes" -> kubernetes(recommendation, manifest);
            case "aws" -> {
                if (manifest != null) {
                    throw new PlanException("a manifest applies to Kubernetes workloads only, not to " + w.kind());
                }
                yield aws(recommendation);
            }
            default -> throw new PlanException("no change plans for provider " + Json.string(w.provider()));
        };
    }

    // ---- Kubernetes

    private static ChangePlan kubernetes(Recommendation r, Manifest manifest) {
        WorkloadRef w = r.workload();
        if (!WORKLOAD_KINDS.contains(w.kind())) {
            throw new PlanException("no change plans for Kubernetes kind " + Json.string(w.kind())
                    + "; expected one of Deployment, StatefulSet, DaemonSet");
        }
        if (w.container().isEmpty()) {
            throw new PlanException("the recommendation names no container of " + w.kind() + " " + w.name());
        }
        Map<String, Map<String, String>> resources = resources(r.changes(), w);
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", w.container());
        container.put("resources", resources);
        String patch = Json.write(Map.of("spec", Map.of("template", Map.of("spec",
                Map.of("containers", List.of(container))))));
        String resource = w.kind().toLowerCase(Locale.ROOT);
        String where = w.namespace().isEmpty() ? w.name() : w.namespace() + "/" + w.name();

        List<Step> steps = new ArrayList<>();
        steps.add(new Step(Kind.KUBERNETES_PATCH, "Strategic-merge patch of " + resource + " " + where + ", container "
                + w.container(), "", patch));
        // kind/name is one argument: a name that starts with - (which Kubernetes refuses, but names come from outside)
        // cannot be read as an option
        String command = "kubectl patch " + shell(resource + "/" + w.name())
                + (w.namespace().isEmpty() ? "" : " -n " + shell(w.namespace())) + " --type strategic -p " + shell(patch);
        steps.add(new Step(Kind.KUBECTL, "The same patch with kubectl", "", command));
        List<String> notes = new ArrayList<>();
        notes.add("Run against the cluster of environment " + Json.string(w.environment())
                + "; changing the pod template's resources rolls the " + resource + "'s pods.");
        if (manifest != null) {
            String diff = ManifestEditor.diff(manifest.path(), manifest.yaml(), w.kind(), w.name(), w.namespace(),
                    w.container(), resources);
            if (diff.isEmpty()) {
                notes.add("The manifest already has these values; there is nothing to change in Git.");
            } else {
                steps.add(new Step(Kind.GIT_DIFF, "Patch of " + manifest.path() + " (apply with git apply)",
                        manifest.path(), diff));
            }
            if (manifest.yaml().contains("\r\n")) {
                notes.add("The manifest has CRLF line ends; the diff is written with LF line ends.");
            }
        } else {
            // a file name, not a path: nothing of the name may climb out of the directory or need YAML quoting
            String file = w.name().replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^[.-]", "_")
                    + "-resources.patch.yaml";
            steps.add(new Step(Kind.KUSTOMIZE_PATCH, "Kustomize patch for the manifest in Git", file,
                    kustomizePatch(w, resources)));
            notes.add("Add the patch to kustomization.yaml: patches: [{path: " + file + "}]; or supply the manifest "
                    + "when approving to get a diff of it instead.");
        }
        notes.add("Nothing has been applied: this plan is for a person or the autopilot to carry out.");
        return new ChangePlan(steps, notes);
    }

    /** requests/limits to cpu/memory, in that order; a blank recommended value removes the setting (null). */
    private static Map<String, Map<String, String>> resources(List<SettingChange> changes, WorkloadRef w) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String group : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                String setting = resource + "." + (group.equals("requests") ? "request" : "limit");
                for (SettingChange c : changes) {
                    if (c.setting().equals(setting)) {
                        String value = c.recommended().strip();
                        if (!value.isEmpty() && Copilot.quantity(value).isEmpty()) {
                            throw new PlanException(setting + ": " + Json.string(value)
                                    + " is not a Kubernetes quantity such as 250m or 512Mi");
                        }
                        out.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(resource,
                                value.isEmpty() ? null : value);
                    }
                }
            }
        }
        for (SettingChange c : changes) {
            if (!List.of(SettingChange.CPU_REQUEST, SettingChange.CPU_LIMIT, SettingChange.MEMORY_REQUEST,
                    SettingChange.MEMORY_LIMIT).contains(c.setting())) {
                throw new PlanException("setting " + Json.string(c.setting()) + " cannot be changed on a "
                        + w.kind() + "; expected cpu.request, cpu.limit, memory.request or memory.limit");
            }
        }
        return out;
    }

    private static String kustomizePatch(WorkloadRef w, Map<String, Map<String, String>> resources) {
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: apps/v1\n");
        y.append("kind: ").append(w.kind()).append('\n');
        y.append("metadata:\n");
        y.append("  name: ").append(ManifestEditor.scalar(w.name())).append('\n');
        if (!w.namespace().isEmpty()) {
            y.append("  namespace: ").append(ManifestEditor.scalar(w.namespace())).append('\n');
        }
        y.append("spec:\n  template:\n    spec:\n      containers:\n");
        y.append("        - name: ").append(ManifestEditor.scalar(w.container())).append('\n');
        y.append("          resources:\n");
        resources.forEach((group, values) -> {
            y.append("            ").append(group).append(":\n");
            values.forEach((resource, value) -> y.append("              ").append(resource).append(": ")
                    .append(value == null ? "null" : ManifestEditor.scalar(value)).append('\n'));
        });
        return y.toString();
    }

    /** A word for a POSIX shell: as is when it cannot be misread, else single-quoted. */
    static String shell(String word) {
        return SHELL_SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    // ---- AWS

    private static final Pattern FAMILY_SUFFIX = Pattern.compile("[a-z]+[0-9]+([a-z-]*)\\..*");

    /** Graviton (arm64) families carry a "g" after their generation: m6g, c7gn, t4g, r6gd. */
    static boolean graviton(String instanceType) {
        var m = FAMILY_SUFFIX.matcher(instanceType);
        return m.matches() && m.group(1).contains("g");
    }

    private static ChangePlan aws(Recommendation r) {
        WorkloadRef w = r.workload();
        List<Step> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        switch (w.kind()) {
            case "EC2Instance" -> {
                String type = only(r, SettingChange.INSTANCE_TYPE);
                if (!INSTANCE_TYPE.matcher(type).matches()) {
                    throw new PlanException("instanceType: " + Json.string(type) + " is not an EC2 instance type such as m6i.large");
                }
                String current = r.changes().stream().filter(c -> c.setting().equals(SettingChange.INSTANCE_TYPE))
                        .findFirst().map(SettingChange::current).orElse("");
                if (!current.isEmpty() && graviton(current) != graviton(type)) {
                    // ModifyInstanceAttribute cannot change the architecture: the stop-modify-start sequence would fail
                    notes.add("Moving from " + current + " to " + type + " changes the CPU architecture ("
                            + (graviton(type) ? "x86_64 to arm64" : "arm64 to x86_64") + "): the instance cannot be "
                            + "modified in place. Launch a replacement from an AMI of the new architecture (its launch "
                            + "template or Auto Scaling group), and check the software runs there first.");
                } else {
                    steps.add(call(w, "ec2", "StopInstances", Map.of("InstanceIds", List.of(w.name()))));
                    steps.add(call(w, "ec2", "ModifyInstanceAttribute",
                            ordered("InstanceId", w.name(), "InstanceType", Map.of("Value", type))));
                    steps.add(call(w, "ec2", "StartInstances", Map.of("InstanceIds", List.of(w.name()))));
                    notes.add("The instance is stopped while its type changes: wait until it is stopped before "
                            + "ModifyInstanceAttribute (aws ec2 wait instance-stopped). Instance-store data is lost on stop.");
                }
            }
            case "LambdaFunction" -> {
                String mb = only(r, SettingChange.FUNCTION_MEMORY_MB);
                int memory = wholeNumber(SettingChange.FUNCTION_MEMORY_MB, mb, 128, 10240);
                steps.add(call(w, "lambda", "UpdateFunctionConfiguration",
                        ordered("FunctionName", w.name(), "MemorySize", memory)));
                notes.add("Lambda gives CPU in proportion to memory: watch the function's duration after the change.");
            }
            case "EBSVolume" -> ebs(r, w, steps, notes);
            default -> throw new PlanException("no change plans for AWS kind " + Json.string(w.kind())
                    + "; expected EC2Instance, LambdaFunction or EBSVolume");
        }
        notes.add("Nothing has been applied: this plan is for a person or the autopilot to carry out.");
        return new ChangePlan(steps, notes);
    }

    private static void ebs(Recommendation r, WorkloadRef w, List<Step> steps, List<String> notes) {
        var settings = new LinkedHashMap<String, String>();
        r.changes().forEach(c -> settings.put(c.setting(), c.recommended().strip()));
        if (settings.containsKey(SettingChange.EXISTENCE)) {
            if (settings.size() > 1 || !settings.get(SettingChange.EXISTENCE).equals("deleted")) {
                throw new PlanException("existence: a volume can only be deleted, and nothing else changed with it");
            }
            steps.add(call(w, "ec2", "CreateSnapshot", ordered("VolumeId", w.name(),
                    "Description", "onloop: snapshot of " + w.name() + " before deleting it")));
            steps.add(call(w, "ec2", "DeleteVolume", Map.of("VolumeId", w.name())));
            notes.add("Wait until the snapshot is completed (aws ec2 wait snapshot-completed) before deleting the volume.");
            return;
        }
        String type = settings.remove(SettingChange.VOLUME_TYPE);
        if (type == null || !VOLUME_TYPES.contains(type)) {
            throw new PlanException("volumeType: " + (type == null ? "missing" : Json.string(type) + " is not one of "
                    + VOLUME_TYPES.stream().sorted().toList()));
        }
        Map<String, Object> parameters = ordered("VolumeId", w.name(), "VolumeType", type);
        String iops = settings.remove(SettingChange.IOPS);
        String throughput = settings.remove(SettingChange.THROUGHPUT_MIBPS);
        if (iops != null) {
            parameters.put("Iops", wholeNumber(SettingChange.IOPS, iops, 100, 256_000));
        }
        if (throughput != null) {
            if (!type.equals("gp3")) {
                throw new PlanException("throughput can only be set on gp3 volumes");
            }
            parameters.put("Throughput", wholeNumber(SettingChange.THROUGHPUT_MIBPS, throughput, 125, 2000));
        }
        if (!settings.isEmpty()) {
            throw new PlanException("setting " + Json.string(settings.keySet().iterator().next())
                    + " cannot be changed on an EBSVolume; expected volumeType, iops, throughput or existence");
        }
        steps.add(call(w, "ec2", "ModifyVolume", parameters));
        if (type.equals("gp3") && (iops == null || throughput == null)) {
            notes.add("gp3 without Iops or Throughput gets the baseline: 3000 IOPS and 125 MiB/s.");
        }
        notes.add("The volume stays attached and in use while it is modified; one modification per volume every 6 hours.");
    }

    private static Step call(WorkloadRef w, String service, String operation, Map<String, Object> parameters) {
        Map<String, Object> call = ordered("service", service, "operation", operation, "environment", w.environment());
        call.put("parameters", parameters);
        return new Step(Kind.AWS_API_CALL, service + " " + operation + " " + w.name(), "", Json.write(call));
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** The recommended value of the one setting this kind changes; anything else is refused. */
    private static String only(Recommendation r, String setting) {
        for (SettingChange c : r.changes()) {
            if (!c.setting().equals(setting)) {
                throw new PlanException("setting " + Json.string(c.setting()) + " cannot be changed on an "
                        + r.workload().kind() + "; expected " + setting);
            }
        }
        return r.changes().getLast().recommended().strip();
    }

    private static int wholeNumber(String setting, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new PlanException(setting + ": " + Json.string(value) + " is not a whole number from " + min + " to " + max);
    }
}
