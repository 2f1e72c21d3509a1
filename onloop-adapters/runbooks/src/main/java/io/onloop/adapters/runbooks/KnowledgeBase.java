package io.onloop.adapters.runbooks;

import io.onloop.domain.runbook.RunbookClass;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The built-in knowledge base: every {@code runbooks/<area>/<id>.yaml} on the classpath (this
 * module's resources, from a directory in development or from inside the application jar).
 * Loading fails with every problem of every file listed, so a bad file never ships silently.
 */
public final class KnowledgeBase {
    public static final String ROOT = "runbooks";
    public static final Set<String> AREAS = Set.of("aws", "azure", "gcp", "kubernetes", "host", "database",
            "middleware", "web");

    /** One file: its path under the classpath root ({@code runbooks/aws/x.yaml}) and its text. */
    public record SourceFile(String path, String text) {
    }

    private KnowledgeBase() {
    }

    /** Loads and validates the whole knowledge base from this module's class loader. */
    public static List<RunbookClass> load() {
        return parse(discover(KnowledgeBase.class.getClassLoader()));
    }

    /** Every .yaml file under {@value #ROOT}/ on the class loader's path, sorted by path. */
    public static List<SourceFile> discover(ClassLoader loader) {
        Map<String, String> files = new TreeMap<>();
        try {
            for (URL url : Collections.list(loader.getResources(ROOT))) {
                switch (url.getProtocol()) {
                    case "file" -> fromDirectory(Path.of(url.toURI()), files);
                    case "jar" -> fromJar(url, files);
                    default -> throw new IllegalStateException("cannot list " + url + ": unsupported location");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the runbook knowledge base", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return files.entrySet().stream().map(e -> new SourceFile(e.getKey(), e.getValue())).toList();
    }

    private static void fromDirectory(Path root, Map<String, String> files) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                files.putIfAbsent(ROOT + "/" + rel, Files.readString(p, StandardCharsets.UTF_8));
            }
        }
    }

    private static void fromJar(URL url, Map<String, String> files) throws IOException {
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            throw new IllegalStateException("cannot list " + url + ": not a jar connection");
        }
        jar.setUseCaches(false);
        try (JarFile file = jar.getJarFile()) {
            for (JarEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (!entry.isDirectory() && name.startsWith(ROOT + "/")
                        && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
                    try (InputStream in = file.getInputStream(entry)) {
                        files.putIfAbsent(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    /** Parses and validates the files; fails with all problems of all files. */
    public static List<RunbookClass> parse(List<SourceFile> files) {
        List<String> problems = new ArrayList<>();
        List<RunbookClass> classes = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (SourceFile f : files) {
            List<String> fileProblems = new ArrayList<>();
            String[] parts = f.path().split("/");
            String fileName = parts[parts.length - 1].replaceFirst("\\.ya?ml$", "");
            if (!f.path().endsWith(".yaml")) {
                fileProblems.add("the file name must end with .yaml");
            }
            if (parts.length != 3 || !AREAS.contains(parts[1])) {
                fileProblems.add("must be at " + ROOT + "/<area>/<id>.yaml with area one of "
                        + AREAS.stream().sorted().toList());
            }
            try {
                RunbookClass c = RunbookFiles.readClass(f.path(), f.text());
                if (!c.id().equals(fileName)) {
                    fileProblems.add("id: \"" + c.id() + "\" must equal the file name \"" + fileName + "\"");
                }
                String before = seen.putIfAbsent(c.id(), f.path());
                if (before != null) {
                    fileProblems.add("id: \"" + c.id() + "\" is also used by " + before);
                }
                fileProblems.addAll(RunbookValidator.problems(c));
                classes.add(c);
            } catch (RunbookFormatException e) {
                problems.add(e.getMessage());
            }
            fileProblems.forEach(p -> problems.add(f.path() + ": " + p));
        }
        if (!problems.isEmpty()) {
            throw new KnowledgeBaseException(problems);
        }
        return List.copyOf(classes);
    }

    /** Every problem found, one per line, each naming the file and the field. */
    public static final class KnowledgeBaseException extends RuntimeException {
        private final List<String> problems;

        KnowledgeBaseException(List<String> problems) {
            super(problems.size() + " problem(s) in the runbook knowledge base:\n  " + String.join("\n  ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
