package org.ntkworkbench.report

import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import org.ntkworkbench.dsl.ScriptRunner
import org.ntkworkbench.runtime.Workbench
import spock.lang.IgnoreIf
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * report.html as a reader sees it: results with descriptions and units, comparison tables with captions,
 * plot notes, links to arrays, the final manifest; and, where Debian's chromium is installed, the page
 * rendered by a real browser with every image loaded.
 */
class ReportSpec extends Specification {

    static final String CHROMIUM = '/usr/bin/chromium'

    @Shared
    Workbench wb = Workbench.start([])

    @Shared
    @TempDir
    Path dir

    @Shared
    Path runDir

    def setupSpec() {
        Path script = dir.resolve('demo.groovy')
        Files.writeString(script, '''
            def x = circleGrid(32)
            // bias-free two-layer ReLU NTK: its odd eigenvalues k >= 3 vanish (rounding noise in K/n)
            def K = gram(x) { u, v -> double t = Math.max(-1d, Math.min(1d, u[0]*v[0] + u[1]*v[1])); double k0 = (Math.PI - Math.acos(t)) / Math.PI
                                      t * k0 + (Math.sqrt(1 - t * t) + (Math.PI - Math.acos(t)) * t) / Math.PI }
            def mu = eigvalsh(K).collect { it / 32 }
            result('top_eigenvalue', mu[0], 'largest eigenvalue of K/n', unit: '1')
            result('time_ratio_half', 1.9, 'median convergence time, half-density arc / densest arc')
            result('undocumented', 3)
            comparison('paper_vs_ours', caption: 'Convergence-time ratios: paper | ours',
                       rows: [[quantity: 'half / dense', paper: 1.96, 'ours (paper protocol)': 1.9, 'ours (NTK regime)': 1.8]])
            save('mu', Tensor.of(mu as double[], 32))
            plot('spectrum', x: (1..32).collect { it as double }, y: mu.collect { Math.abs(it) + 0d }, logX: true, logY: true,
                 markers: true, fit: true, paper: ['paper (made up)': [[1d, 2d], [mu[0], mu[1]]]])
            report(title: 'Demo <report>', notes: 'First paragraph.\\n\\nSecond paragraph.')
        ''')
        def o = new ScriptRunner(wb, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()))
                .run(script, [:], dir.resolve('runs'), false, false)
        assert o.exitCode() == 0
        runDir = o.runDir()
    }

    def "the report embeds the final manifest (status ok), not the one of the running script"() {
        given:
        String html = Files.readString(runDir.resolve('report.html'))
        def manifest = new JsonSlurper().parse(runDir.resolve('manifest.json').toFile())

        expect:
        manifest.status == 'ok'
        html.contains('Status: <b>ok</b>')
        html.contains('&quot;status&quot; : &quot;ok&quot;')
        !html.contains('&quot;status&quot; : &quot;running&quot;')
        and: 'descriptions and units are in the manifest too'
        manifest.result_info.time_ratio_half.description == 'median convergence time, half-density arc / densest arc'
        manifest.result_info.top_eigenvalue.unit == '1'
        !manifest.result_info.containsKey('undocumented')
    }

    def "results carry their description and unit; tables their caption; plots their note; arrays are linked"() {
        given:
        String html = Files.readString(runDir.resolve('report.html'))

        expect:
        html.contains('<tr><td><code>time_ratio_half</code></td><td class="num">1.90000</td><td></td>'
                + '<td>median convergence time, half-density arc / densest arc</td></tr>')
        html.contains('<caption>Convergence-time ratios: paper | ours <a href="tables/paper_vs_ours.csv">(CSV)</a></caption>')
        html.contains('<th>quantity</th><th>paper</th><th>ours (paper protocol)</th><th>ours (NTK regime)</th>')
        html.contains('<a href="arrays/mu.npy">arrays/mu.npy</a>')
        html.contains('<h1>Demo &lt;report&gt;</h1>')
        html.contains('<p>First paragraph.</p>\n<p>Second paragraph.</p>')
        and: 'the odd eigenvalues >= 3 of this kernel are rounding noise: left out of the log plot and named under it'
        Files.readString(runDir.resolve('plots/spectrum.txt')).startsWith("Left out of the log plot: 'y'")
        html.contains("Left out of the log plot: 'y'")
    }

    @IgnoreIf(value = { !Files.isExecutable(Path.of(CHROMIUM)) },
            reason = 'Debian chromium (/usr/bin/chromium) is not installed: report.html not checked in a real browser')
    def "headless Chromium renders the report and loads every image"() {
        given: 'a copy of the page beside it (same relative links) that records, on load, the state of every image'
        String html = Files.readString(runDir.resolve('report.html'))
        String probe = '''<script>window.addEventListener('load', function () {
              var imgs = Array.prototype.slice.call(document.images);
              var broken = imgs.filter(function (i) { return !i.complete || i.naturalWidth === 0; }).map(function (i) { return i.getAttribute('src'); });
              var d = document.createElement('div'); d.id = 'browser-check';
              d.textContent = JSON.stringify({images: imgs.length, broken: broken, h1: document.querySelector('h1').textContent,
                  rows: document.querySelectorAll('table tr').length, width: imgs.length ? imgs[0].naturalWidth : 0});
              document.body.appendChild(d); });</script>'''
        Path page = runDir.resolve('.browser-check.html')
        Files.writeString(page, html.replace('</body>', probe + '</body>'))
        Path profile = Files.createTempDirectory(dir, 'chromium-profile')

        when:
        def cmd = [CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                   '--disable-background-networking', '--disable-component-update', '--disable-sync',
                   "--user-data-dir=${profile}".toString(), '--virtual-time-budget=10000', '--dump-dom', page.toUri().toString()]
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start()
        String dom = p.inputStream.text
        boolean done = p.waitFor(120, TimeUnit.SECONDS)
        if (!done) {
            p.destroyForcibly()
        }
        def m = dom =~ /<div id="browser-check">(.*?)<\/div>/
        def check = m.find() ? new JsonSlurper().parseText(m.group(1).replace('&lt;', '<').replace('&gt;', '>').replace('&amp;', '&')) : null

        then:
        done
        check != null
        check.h1 == 'Demo <report>'
        check.images == 1
        check.broken == []
        check.width == 800
        check.rows >= 1 + 1 + 4 // comparison header + row, results header + 3 results
    }
}
