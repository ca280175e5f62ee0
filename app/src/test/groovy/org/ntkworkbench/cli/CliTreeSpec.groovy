package org.ntkworkbench.cli

import picocli.CommandLine
import spock.lang.Specification

/**
 * Main builds only the named subcommand's tree when a command line starts with one (start-up time). What a user
 * sees must not depend on it: the usage help of every command path, the version line, and the error lines and exit
 * codes of bad command lines are compared between the whole tree and the one-command tree, in this JVM.
 */
class CliTreeSpec extends Specification {

    /** Every command path of the whole tree, e.g. [], ['kernel'], ['plugins', 'new']. */
    static List<List<String>> commandPaths() {
        List<List<String>> paths = []
        Closure walk
        walk = { CommandLine c, List<String> path ->
            paths << path
            c.subcommands.each { String name, CommandLine sub -> walk(sub, path + [name]) }
        }
        walk(Main.commandLine(), [])
        paths
    }

    static String usage(CommandLine root, List<String> path) {
        CommandLine c = root
        path.each { c = c.subcommands[it] }
        c.getUsageMessage(CommandLine.Help.Ansi.OFF)
    }

    /** Runs {@code args} on {@code cl}: [exit code, stdout, stderr]. */
    static List run(CommandLine cl, List<String> args) {
        def out = new StringWriter()
        def err = new StringWriter()
        cl.setOut(new PrintWriter(out, true))
        cl.setErr(new PrintWriter(err, true))
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
        int code = cl.execute(args as String[])
        [code, out.toString(), err.toString()]
    }

    def "the whole tree has every subcommand, in the listed order"() {
        expect:
        Main.commandLine().subcommands.keySet() as List == ['run', 'repl', 'jshell', 'plugins', 'bench', 'eigen', 'spectrum', 'train',
                                                            'kernel', 'fit', 'rerun', 'jupyter', 'cluster', 'help']
        commandPaths().size() > 20
    }

    def "a command line starting with 'kernel' builds the root with the kernel command only"() {
        expect:
        Main.commandLine('kernel', '--x1', 'a.npy').subcommands.keySet() == ['kernel'] as Set
        Main.commandLine('help', 'kernel').subcommands.size() == 14
        Main.commandLine('--debug', 'kernel').subcommands.size() == 14
        Main.commandLine('kernal').subcommands.size() == 14
    }

    def "usage help of 'ntk #path' is the same with only its first command's tree"() {
        expect:
        usage(Main.commandLine(path as String[]), path) == usage(Main.commandLine(), path)

        where:
        path << commandPaths().findAll { !it.isEmpty() }
    }

    def "'ntk #args' gives the same exit code, output and error line with only its command's tree"() {
        when:
        def lazy = run(Main.commandLine(args as String[]), args)
        def whole = run(Main.commandLine(), args)

        then:
        lazy == whole
        lazy[0] == code

        where:
        args                                                  | code
        ['kernel']                                            | 2
        ['kernel', '--bogus']                                 | 2
        ['kernel', '--model']                                 | 2
        ['kernel', '--x1', 'a.npy', '--out', 'k.npz', 'extra'] | 2
        ['kernel', '--help']                                  | 0
        ['kernel', '-h']                                      | 0
        ['kernel', '--version']                               | 0
        ['fit', '--memory', 'lots']                           | 2
        ['eigen', '--top', 'x']                               | 2
        ['train', '--steps', 'abc']                           | 2
        ['plugins', 'bogus']                                  | 2
        ['plugins', 'new', '--help']                          | 0
        ['cluster']                                           | 2
        ['cluster', 'start', '--help']                        | 0
        ['jupyter', 'install', '--bogus']                     | 2
        ['rerun']                                             | 2
    }
}
