package org.ntkworkbench.cli

/** Runs {@code ntk} in a child JVM on the test class path, with input piped in. */
class NtkProcess {
    static Map run(String stdin, String... args) {
        run([:], stdin, args)
    }

    /** As {@link #run(String, String...)} with extra environment variables for the child (e.g. NTK_PLUGINS). */
    static Map run(Map<String, String> env, String stdin, String... args) {
        String java = ProcessHandle.current().info().command().orElse('java')
        List<String> cmd = [java, '--enable-native-access=ALL-UNNAMED', '--sun-misc-unsafe-memory-access=allow',
                            '-Dsmile.linalg.backend=native', '-Djava.awt.headless=true',
                            '-cp', System.getProperty('java.class.path'), Main.name] + args.toList()
        def pb = new ProcessBuilder(cmd)
        pb.environment().put('HOME', System.getProperty('java.io.tmpdir'))
        pb.environment().putAll(env)
        Process p = pb.start()
        def out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream()
        def t1 = Thread.start { out << p.inputStream }
        def t2 = Thread.start { err << p.errorStream }
        p.outputStream.withCloseable { it.write(stdin.bytes) }
        boolean done = p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)
        if (!done) {
            p.destroyForcibly()
        }
        t1.join(); t2.join()
        [exit: done ? p.exitValue() : -1, out: out.toString(), err: err.toString()]
    }
}

/** A child {@code ntk} JVM left running (for kill and concurrency tests); stdout and stderr go to files. */
class NtkChild {
    final Process process
    final File out
    final File err

    NtkChild(File dir, String... args) {
        String java = ProcessHandle.current().info().command().orElse('java')
        List<String> cmd = [java, '--enable-native-access=ALL-UNNAMED', '--sun-misc-unsafe-memory-access=allow',
                            '-Dsmile.linalg.backend=native', '-Djava.awt.headless=true',
                            '-cp', System.getProperty('java.class.path'), Main.name] + args.toList()
        out = new File(dir, "child-${System.nanoTime()}.out")
        err = new File(dir, "child-${System.nanoTime()}.err")
        def pb = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err)
        pb.environment().put('HOME', System.getProperty('java.io.tmpdir'))
        process = pb.start()
    }

    /** Waits until {@code cond} holds (polling), at most {@code seconds}. */
    static boolean await(int seconds, Closure<Boolean> cond) {
        long end = System.nanoTime() + seconds * 1_000_000_000L
        while (System.nanoTime() < end) {
            if (cond()) {
                return true
            }
            Thread.sleep(200)
        }
        cond()
    }
}
