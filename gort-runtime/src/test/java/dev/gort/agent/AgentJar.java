package dev.gort.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds an agent jar for child-JVM tests from the compiled main classes (target/classes), with the
 * manifest entries the packaged gort jar has: tests run before Maven packages the real jar.
 */
final class AgentJar {
    private AgentJar() {}

    static Path build(Path dir) throws IOException, URISyntaxException {
        Path classes = Path.of(PreemptAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Premain-Class", PreemptAgent.class.getName());
        a.putValue("Agent-Class", PreemptAgent.class.getName());
        a.putValue("Can-Retransform-Classes", "false");
        Path jar = dir.resolve("gort-agent-test.jar");
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, mf)) {
            for (Path f : files) {
                jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jos.write(Files.readAllBytes(f));
                jos.closeEntry();
            }
        }
        return jar;
    }
}
