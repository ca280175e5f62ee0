package org.ntkworkbench.cli

import spock.lang.Specification

class ShellsSpec extends Specification {

    def "a piped REPL session prints 42 and can call DSL words and services"() {
        when:
        def r = NtkProcess.run('''println 6*7
x = circleGrid(8)
println((eigvalsh(gram(x) { u, v -> u[0]*v[0] + u[1]*v[1] }) as List).take(2).collect { Math.round(it * 1000) })
println(plots != null)
println Tensor.zeros(3).size()
''', 'repl')

        then:
        r.exit == 0
        def lines = r.out.readLines()
        lines.contains('42')
        lines.contains('[4000, 4000]')   // Gram of 8 grid points on the circle: eigenvalues n/2, n/2
        lines.contains('true')
        lines.contains('3')
    }

    def "a piped JShell session evaluates Java with the API imported and the workbench bound"() {
        when:
        def r = NtkProcess.run('''System.out.println(6*7);
6*7
Tensor t = Tensor.zeros(2, 3);
System.out.println(t.size());
System.out.println(wb.words().containsKey("gram"));
int f(int a) {
  return a * 2;
}
System.out.println(f(21));
''', 'jshell')

        then:
        r.exit == 0
        r.out.readLines() == ['42', '$1 ==> 42', '6', 'true', '42']
    }

    def "a JShell error is reported and sets a failing exit status"() {
        when:
        def r = NtkProcess.run('int x = "text";\n', 'jshell')

        then:
        r.exit == 1
        r.err.contains('error: incompatible types')
    }

    def "usage errors exit 2 with one line; --version and plugins work"() {
        expect:
        NtkProcess.run('', 'frobnicate').with { exit == 2 && err.readLines()[0].startsWith('ntk: Unmatched argument') }
        NtkProcess.run('', '--version').with { exit == 0 && out.startsWith('ntk ') }
        NtkProcess.run('', 'plugins').with { exit == 0 && out.contains('pinet') }
        NtkProcess.run('', 'run', 'no-such-script.groovy').with { exit == 2 && err.readLines() == ['no-such-script.groovy: no such script'] }
    }
}
