package org.ntkworkbench.cli

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.FileTime
import java.nio.file.attribute.PosixFilePermissions
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The launcher's JDK 25 AOT cache per subcommand (record on the first run, create in the background after a
 * successful one, use later, record again once a class-path jar is newer than the cache; for kernel, recorded from the
 * launcher's training run instead of the first run, which then records nothing), run on a copy of
 * {@code ./ntk} in a fake installation whose "JDK" is a shell script that logs its arguments and writes the files
 * the real JVM would: each launch costs milliseconds, not a JVM start.
 */
class LauncherAotSpec extends Specification {

    @TempDir
    Path dir

    Path root
    Path jar
    Path log

    def setup() {
        root = Files.createDirectories(dir.resolve('ntk-home'))
        Files.copy(LauncherSpec.launcher(), root.resolve('ntk'))
        Path target = Files.createDirectories(root.resolve('app/target'))
        Files.writeString(target.resolve('ntk-app-0.1.jar'), 'app')
        jar = Files.createDirectories(root.resolve('lib')).resolve('dep.jar')
        Files.writeString(jar, 'dep')
        Files.writeString(target.resolve('classpath.txt'), jar.toString())
        log = dir.resolve('java.log')
        Path home = Files.createDirectories(dir.resolve('jdk-25/bin')).parent
        Files.writeString(home.resolve('release'), 'JAVA_VERSION="25.0.1"\n')
        Path java = home.resolve('bin/java')
        // One log line per JVM start: its -XX options ("record training" for the launcher's training run, which fails
        // when NTK_FAKE_TRAINING_FAILS is set); record writes the configuration (naming the main class and arguments that
        // recorded it) even when the run fails, as the JVM does at exit; create copies the configuration into the cache.
        Files.writeString(java, '''#!/bin/bash
mode=run; conf=; cache=; fail=0; jit=; main=; rest=
for a in "$@"; do
  [ -n "$main" ] && rest="$rest $a"
  case "$a" in
    org.ntkworkbench.cli.*) [ -z "$main" ] && main="$a" ;;
    -XX:AOTMode=*) mode="${a#-XX:AOTMode=}" ;;
    -XX:AOTConfiguration=*) conf="${a#-XX:AOTConfiguration=}" ;;
    -XX:AOTCache=*) cache="${a#-XX:AOTCache=}" ;;
    -XX:SharedArchiveFile=*) mode=cds ;;
    -XX:+UseTransparentHugePages) echo thp >> "$NTK_FAKE_LOG.thp" ;;
    -XX:CompileThresholdScaling=*|-XX:TieredStopAtLevel=*) jit="$jit $a" ;;
    --fail) fail=1 ;;
  esac
done
[ "$mode" = run ] && [ -n "$cache" ] && mode="use $(basename "$cache")"
[ "$main" = org.ntkworkbench.cli.AotTraining ] && mode="$mode training" && fail=${NTK_FAKE_TRAINING_FAILS:-0}
echo "$mode" >> "$NTK_FAKE_LOG"
echo "$mode:$jit" >> "$NTK_FAKE_LOG.jit"
[ "${mode%% *}" = record ] && echo "recorded by $main$rest" > "$conf"
[ "$mode" = create ] && cat "$conf" > "$cache"
[ "$mode" = create ] || echo "command output"
exit $fail
''')
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString('rwxr-xr-x'))
    }

    /** Runs the copied launcher with {@code args}; waits for a background cache creation to end. */
    Map ntk(Map env = [:], String... args) {
        def pb = new ProcessBuilder(['/bin/bash', root.resolve('ntk').toString()] + (args as List))
        pb.environment().clear()
        pb.environment().putAll([PATH: '/usr/bin:/bin', HOME: dir.toString(), JAVA_HOME: dir.resolve('jdk-25').toString(),
                                 NTK_JVM_DIRS: dir.resolve('none').toString(), NTK_FAKE_LOG: log.toString()] + env)
        def p = pb.start()
        String out = p.inputStream.text
        String err = p.errorStream.text
        p.waitFor()
        // the cache is created by a detached background job; its lock folder goes when it is done
        for (int i = 0; i < 100 && Files.list(aotDir()).anyMatch { it.fileName.toString().endsWith('.lock') }; i++) {
            sleep(50)
        }
        [exit: p.exitValue(), out: out, err: err]
    }

    Path aotDir() {
        Files.createDirectories(root.resolve('target/aot'))
    }

    List<String> caches() {
        Files.list(aotDir()).map { it.fileName.toString() }.filter { it.endsWith('.aot') }.sorted().toList()
    }

    List<String> jvmStarts() {
        Files.exists(log) ? log.readLines() : []
    }

    /** The content of the one cache whose name starts with {@code command}: the fake JVM's "recorded by MAIN ARGS" line. */
    String recordedBy(String command) {
        aotDir().resolve(caches().find { it.startsWith(command + '-') }).text.trim()
    }

    /** The names of the files in target/aot, sorted. */
    List<String> aotFiles() {
        Files.list(aotDir()).map { it.fileName.toString() }.sorted().toList()
    }

    def "record, create in the background, use; a jar newer than the cache makes it stale; kernel's cache from its training run"() {
        when: 'the first kernel run'
        def first = ntk('kernel', '--x1', 'a.npy')

        then: 'it records nothing (stdout only the command); in the background the training run records and a JVM creates the cache from it'
        first.exit == 0
        first.out == 'command output\n'
        jvmStarts() == ['run', 'record training', 'create']
        caches().size() == 1
        caches()[0].startsWith('kernel-')
        recordedBy('kernel') == 'recorded by org.ntkworkbench.cli.AotTraining kernel'
        aotFiles() == [caches()[0], caches()[0].replace('.aot', '.log')]

        when: 'the second run'
        log.toFile().delete()
        ntk('kernel', '--x1', 'a.npy')

        then: 'it maps the cache'
        jvmStarts() == ['use ' + caches()[0]]

        when: 'another subcommand (no training workload)'
        log.toFile().delete()
        def eigen = ntk('eigen', '--in', 'k.npz')

        then: 'has its own cache, recorded by its own first run (stdout only the command: the JVM was told not to print its AOT messages)'
        eigen.out == 'command output\n'
        jvmStarts() == ['record', 'create']
        caches().size() == 2
        recordedBy('eigen') == 'recorded by org.ntkworkbench.cli.Main eigen --in k.npz'

        when: 'a class-path jar is rebuilt after the caches were made'
        log.toFile().delete()
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000))
        ntk('kernel', '--x1', 'a.npy')
        ntk('eigen', '--in', 'k.npz')

        then: 'the stale caches are deleted and made again'
        jvmStarts() == ['run', 'record training', 'create', 'record', 'create']
        caches().size() == 2
    }

    def "a failing training run: no cache and a marker; the next kernel run records its own, as other subcommands do, until the next build"() {
        when:
        def first = ntk([NTK_FAKE_TRAINING_FAILS: '1'], 'kernel', '--x1', 'a.npy')

        then: "the user's command is unaffected; the training's recording (written at its exit) is not used"
        first.exit == 0
        first.out == 'command output\n'
        first.err == ''
        jvmStarts() == ['run', 'record training']
        caches().isEmpty()
        aotFiles().size() == 2
        aotFiles()[0] ==~ /kernel-\d+\.aot\.untrained/
        aotFiles()[1] ==~ /kernel-\d+\.log/

        when:
        log.toFile().delete()
        ntk([NTK_FAKE_TRAINING_FAILS: '1'], 'kernel', '--x1', 'a.npy')
        ntk([NTK_FAKE_TRAINING_FAILS: '1'], 'kernel', '--x1', 'b.npy')

        then: 'the next run records itself and the cache is made from that; then it is used'
        jvmStarts() == ['record', 'create', 'use ' + caches()[0]]
        recordedBy('kernel') == 'recorded by org.ntkworkbench.cli.Main kernel --x1 a.npy'

        when: 'a class-path jar is rebuilt: the marker is stale with the cache'
        log.toFile().delete()
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000))
        ntk('kernel', '--x1', 'a.npy')

        then:
        jvmStarts() == ['run', 'record training', 'create']
        recordedBy('kernel') == 'recorded by org.ntkworkbench.cli.AotTraining kernel'
        aotFiles() == [caches()[0], caches()[0].replace('.aot', '.log')]
    }

    def "a failed run creates no cache; NTK_AOT=0 and AOT options of the user's own mean class-data sharing"() {
        when:
        def failed = ntk('eigen', '--fail')
        def failedKernel = ntk('kernel', '--fail')

        then: 'the failing eigen run recorded, but its recording is dropped (it may have loaded little); a failing kernel run starts no training'
        failed.exit == 1
        failedKernel.exit == 1
        jvmStarts() == ['record', 'run']
        Files.list(aotDir()).count() == 0

        when:
        log.toFile().delete()
        ntk([NTK_AOT: '0'], 'kernel')
        ntk([NTK_JAVA_OPTS: '-XX:AOTCache=/elsewhere.aot'], 'kernel')

        then:
        jvmStarts() == ['cds', 'cds']
        caches().isEmpty()
    }

    def "transparent huge pages: the flag where the kernel offers them (always, madvise), not with [never] or without THP; the cache key follows"() {
        given:
        Path thp = dir.resolve('thp')
        Path thpLog = Path.of(log.toString() + '.thp')
        def runs = { String mode ->
            if (mode == null) {
                Files.deleteIfExists(thp)
            } else {
                Files.writeString(thp, mode + '\n')
            }
            Files.deleteIfExists(thpLog)
            def r = ntk([NTK_THP_FILE: thp.toString()], 'kernel')
            assert r.exit == 0 && r.out == 'command output\n'
            Files.exists(thpLog) ? Files.readAllLines(thpLog).size() : 0
        }

        expect: 'every JVM of a run gets it (the first, background training and create), or none does'
        runs('always madvise [never]') == 0
        runs('always [madvise] never') == 3
        runs('[always] madvise never') == 1
        runs(null) == 0
        runs('') == 0
        and: 'a cache recorded with the flag is not used without it (its own key)'
        caches().size() == 2
    }

    def "per-subcommand JIT flags: kernel with 10x compile thresholds, eigen with C1 only, others with the JVM's defaults; the user's options come later and win; the cache key follows"() {
        given:
        Path jitLog = Path.of(log.toString() + '.jit')
        def flags = { Map env = [:], String... args ->
            Files.deleteIfExists(jitLog)
            def r = ntk(env, args)
            assert r.exit == 0 && r.out == 'command output\n'
            jitLog.readLines()
        }

        expect: 'every JVM of a run (the first, background training and create, later use) gets the same flags'
        flags('kernel', '--x1', 'a.npy') == ['run: -XX:CompileThresholdScaling=10', 'record training: -XX:CompileThresholdScaling=10',
                                             'create: -XX:CompileThresholdScaling=10']
        flags('kernel', '--x1', 'a.npy') == ['use ' + caches().find { it.startsWith('kernel-') } + ': -XX:CompileThresholdScaling=10']
        flags('eigen') == ['record: -XX:TieredStopAtLevel=1', 'create: -XX:TieredStopAtLevel=1']
        flags('fit') == ['record:', 'create:']
        flags('--version') == ['record:', 'create:']

        and: "the user's option is passed after the launcher's, so the JVM takes the user's value (its own cache)"
        flags([NTK_JAVA_OPTS: '-XX:CompileThresholdScaling=1'], 'kernel') ==
                ['run: -XX:CompileThresholdScaling=10 -XX:CompileThresholdScaling=1', 'record training: -XX:CompileThresholdScaling=10 -XX:CompileThresholdScaling=1',
                 'create: -XX:CompileThresholdScaling=10 -XX:CompileThresholdScaling=1']
        caches().count { it.startsWith('kernel-') } == 2
    }
}
