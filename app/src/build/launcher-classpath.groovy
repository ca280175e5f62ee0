// The launcher's class path (target/classpath.txt, read by ./ntk): Maven's runtime class path (target/classpath-maven.txt,
// written by maven-dependency-plugin just before this script runs), with the jars named in the property
// ntk.launcher.modernise replaced by copies in target/launcher-lib whose class files older than Java 6 (major version
// < 50) are re-written as Java 8 class files with stack-map frames, computed by ASM; nothing else changes.
// Why: the JDK's AOT cache (and class-data sharing) cannot hold a pre-Java-6 class once it has been linked, so each run
// of ./ntk parses and verifies such classes again from the jar, with the old type-inferring verifier. picocli 4.7.7 is
// compiled for Java 5: its 176 classes cost every command ~0.2 CPU s before it can parse its options (session 6,
// docs/benchmarks.md). A class ASM cannot give frames to (e.g. it uses jsr/ret, or names a class that is missing) is
// copied unchanged. Signed jars are never re-written. Files are written only when their content changes, so that a
// rebuild does not make the launcher's AOT caches stale.
import java.util.jar.JarEntry
import java.util.jar.JarFile
import java.util.jar.JarOutputStream
import org.objectweb.asm.ClassReader
import org.objectweb.asm.ClassVisitor
import org.objectweb.asm.ClassWriter
import org.objectweb.asm.Opcodes

File target = new File(project.build.directory)
File mavenList = new File(target, 'classpath-maven.txt')
Set<String> modernise = (project.properties['ntk.launcher.modernise'] ?: '').split(',')*.trim().findAll { it } as Set
Map<String, String> artifactOf = [:]
project.artifacts.each { a -> if (a.file != null) artifactOf[a.file.absolutePath] = a.artifactId }
List<String> entries = mavenList.text.trim().split(File.pathSeparator).findAll { it } as List
File libDir = new File(target, 'launcher-lib')

int major(byte[] b) { ((b[6] & 0xff) << 8) | (b[7] & 0xff) }

byte[] modern(byte[] bytes, ClassLoader loader) {
    if (major(bytes) >= 50) {
        return bytes
    }
    try {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() { loader }
        }
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces)
            }
        }, ClassReader.SKIP_FRAMES)
        return w.toByteArray()
    } catch (Throwable ignored) {
        return bytes
    }
}

byte[] modernJar(File jar, List<String> classPath) {
    URL[] urls = classPath.collect { new File(it).toURI().toURL() } as URL[]
    URLClassLoader loader = new URLClassLoader(urls, ClassLoader.platformClassLoader)
    ByteArrayOutputStream buffer = new ByteArrayOutputStream()
    new JarFile(jar).withCloseable { JarFile in ->
        if (in.entries().toList().any { it.name ==~ /META-INF\/[^\/]+\.(SF|RSA|DSA|EC)/ }) {
            return null
        }
        new JarOutputStream(buffer).withCloseable { out ->
            for (JarEntry e : in.entries().toList()) {
                byte[] b = in.getInputStream(e).bytes
                if (e.name.endsWith('.class') && !e.name.startsWith('META-INF/')) {
                    b = modern(b, loader)
                }
                JarEntry copy = new JarEntry(e.name)
                copy.time = e.time
                out.putNextEntry(copy)
                out.write(b)
                out.closeEntry()
            }
        }
    }
    loader.close()
    return buffer.size() == 0 ? null : buffer.toByteArray()
}

void writeIfChanged(File f, byte[] content) {
    if (!f.isFile() || !Arrays.equals(f.bytes, content)) {
        f.parentFile.mkdirs()
        File tmp = new File(f.parentFile, f.name + '.tmp')
        tmp.bytes = content
        java.nio.file.Files.move(tmp.toPath(), f.toPath(), java.nio.file.StandardCopyOption.REPLACE_EXISTING)
    }
}

List<String> launcher = entries.collect { String e ->
    String artifact = artifactOf[new File(e).absolutePath]
    if (artifact == null || !modernise.contains(artifact) || !e.endsWith('.jar')) {
        return e
    }
    File src = new File(e)
    File copy = new File(libDir, src.name)
    if (!copy.isFile() || copy.lastModified() < src.lastModified()) {
        byte[] b = modernJar(src, entries)
        if (b == null) {
            return e
        }
        writeIfChanged(copy, b)
        copy.lastModified = Math.max(copy.lastModified(), src.lastModified())
    }
    copy.absolutePath
}
writeIfChanged(new File(target, 'classpath.txt'), launcher.join(File.pathSeparator).getBytes('UTF-8'))
