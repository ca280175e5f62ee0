package org.ntkworkbench.cli

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import spock.lang.Specification
import spock.lang.TempDir

/** The launcher's JDK detection, run with fake JDK folders and an empty PATH. */
class LauncherSpec extends Specification {

    @TempDir
    Path dir

    static Path launcher() {
        Path p = Path.of('..', 'ntk').toAbsolutePath().normalize()
        assert Files.isExecutable(p)
        p
    }

    Path fakeJdk(String name, String version) {
        Path home = dir.resolve('jvms').resolve(name)
        Files.createDirectories(home.resolve('bin'))
        Path java = home.resolve('bin/java')
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"$version\"' >&2\n")
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString('rwxr-xr-x'))
        Files.writeString(home.resolve('release'), "JAVA_VERSION=\"$version\"\n")
        home
    }

    /** A PATH with only the tools the launcher needs before it looks for Java (so the machine's java is invisible). */
    Path toolsOnly() {
        Path bin = Files.createDirectories(dir.resolve('bin'))
        for (tool in ['sed', 'head', 'dirname', 'readlink', 'cat']) {
            Path real = ['/usr/bin', '/bin'].collect { Path.of(it, tool) }.find { Files.isExecutable(it) }
            if (!Files.exists(bin.resolve(tool))) {
                Files.createSymbolicLink(bin.resolve(tool), real)
            }
        }
        bin
    }

    Map launch(Map env) {
        def pb = new ProcessBuilder('/bin/bash', launcher().toString(), '--which-java')
        pb.environment().clear()
        pb.environment().putAll([PATH: toolsOnly().toString(), HOME: dir.toString()] + env)
        def p = pb.start()
        p.waitFor()
        [exit: p.exitValue(), out: p.inputStream.text.trim(), err: p.errorStream.text.trim()]
    }

    def "JAVA_HOME pointing at JDK 25 wins"() {
        given:
        def jdk25 = fakeJdk('jdk-25', '25.0.1')

        expect:
        launch([JAVA_HOME: jdk25.toString(), NTK_JVM_DIRS: dir.resolve('none').toString()]).out == jdk25.toString()
    }

    def "an old JAVA_HOME is skipped and a JDK 25 in the JVM folders is found"() {
        given:
        def jdk17 = fakeJdk('jdk-17', '17.0.15')
        def jdk25 = fakeJdk('temurin-25', '25.0.3')

        expect:
        launch([JAVA_HOME: jdk17.toString(), NTK_JVM_DIRS: dir.resolve('jvms').toString()]).out == jdk25.toString()
    }

    def "no JDK 25 anywhere: exit 2 and one line saying how to get one"() {
        given:
        def jdk17 = fakeJdk('jdk-17', '17.0.15')

        when:
        def r = launch([JAVA_HOME: jdk17.toString(), NTK_JVM_DIRS: dir.resolve('jvms').toString()])

        then:
        r.exit == 2
        r.err.readLines().size() == 1
        r.err.startsWith('ntk: needs JDK 25 or newer and found none')
        r.err.contains('adoptium.net')
    }
}
