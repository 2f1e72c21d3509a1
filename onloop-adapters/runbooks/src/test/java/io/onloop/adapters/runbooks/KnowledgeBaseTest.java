package io.onloop.adapters.runbooks;

import io.onloop.adapters.runbooks.KnowledgeBase.KnowledgeBaseException;
import io.onloop.adapters.runbooks.KnowledgeBase.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading rules, on fixtures (the real knowledge base is checked by KnowledgeBaseContentTest). */
class KnowledgeBaseTest {
    static final String PATH = "runbooks/aws/aws-rds-cpu-high.yaml";

    @Test
    void loadsAValidFile() {
        assertThat(KnowledgeBase.parse(List.of(new SourceFile(PATH, Fixtures.RDS))))
                .singleElement().satisfies(c -> assertThat(c.id()).isEqualTo("aws-rds-cpu-high"));
    }

    @Test
    void reportsEveryProblemWithFileAndField() {
        String bad = Fixtures.RDS
                .replace("{{region|its region}}", "{{regoin|its region}}")
                .replace("url: https://docs.aws", "url: http://docs.aws")
                .replace("- step: Find the top SQL by load in Performance Insights.",
                        "- step: Clean up.\n    command: kubectl delete pod {{pod|<pod>}}")
                .replace("effect: WARNING - the replica", "effect: the replica")
                .replace("'~RDS(Instance)?HighCPU'", "'~RDS(Instance?HighCPU'")
                .replace("keywords: [rds,", "keywords: [RDS,");
        assertThatThrownBy(() -> KnowledgeBase.parse(List.of(new SourceFile(PATH, bad))))
                .isInstanceOfSatisfying(KnowledgeBaseException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        PATH + ": match.identifiers[1].alertname: invalid regular expression: Unclosed group",
                        PATH + ": match.keywords[0]: \"RDS\" must be lower case",
                        PATH + ": interpretation: unknown template variable {{regoin}}",
                        PATH + ": troubleshooting[0].command: destructive (\"delete\"): only allowed in remediation",
                        PATH + ": remediation[1].command: destructive (\"delete-db-instance\"): needs risk high and the word WARNING in effect",
                        PATH + ": references[0].url: \"http://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/monitoring-cloudwatch.html\" must be an https URL"));
    }

    @Test
    void fileNameAreaAndUniqueness() {
        assertThatThrownBy(() -> KnowledgeBase.parse(List.of(
                new SourceFile("runbooks/aws/rds-cpu.yaml", Fixtures.RDS),
                new SourceFile("runbooks/cloud/aws-rds-cpu-high.yaml", Fixtures.RDS),
                new SourceFile("runbooks/aws/broken.yaml", "id: broken\n"))))
                .isInstanceOfSatisfying(KnowledgeBaseException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "runbooks/aws/rds-cpu.yaml: id: \"aws-rds-cpu-high\" must equal the file name \"rds-cpu\"",
                        "runbooks/cloud/aws-rds-cpu-high.yaml: must be at runbooks/<area>/<id>.yaml with area one of "
                                + "[aws, azure, database, gcp, host, kubernetes, middleware, web]",
                        "runbooks/cloud/aws-rds-cpu-high.yaml: id: \"aws-rds-cpu-high\" is also used by runbooks/aws/rds-cpu.yaml",
                        "runbooks/aws/broken.yaml: match: missing"));
    }

    @Test
    void discoversFilesInADirectoryAndInAJar(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("classes/runbooks/aws");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("aws-rds-cpu-high.yaml"), Fixtures.RDS);
        try (var loader = new URLClassLoader(new URL[]{dir.resolve("classes").toUri().toURL()}, null)) {
            assertThat(KnowledgeBase.discover(loader)).extracting(SourceFile::path).containsExactly(PATH);
        }
        Path jar = dir.resolve("kb.jar");
        try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String d : List.of("runbooks/", "runbooks/web/")) {
                out.putNextEntry(new JarEntry(d));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("runbooks/web/web-x.yaml"));
            ((OutputStream) out).write("id: web-x".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        try (var loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, null)) {
            assertThat(KnowledgeBase.discover(loader)).containsExactly(new SourceFile("runbooks/web/web-x.yaml", "id: web-x"));
        }
    }
}
