package org.ntkworkbench.plot

import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO
import org.knowm.xchart.style.Styler
import spock.lang.Specification
import spock.lang.TempDir

class XChartPlotsSpec extends Specification {

    @TempDir
    Path dir

    def plots = new XChartPlots()

    def "log tick labels name the data of a geometric sweep and round values elsewhere"() {
        given: 'a width sweep 64..4096 drawn over log10 (ticks at the data, as XChart places them for evenly spaced values)'
        double[] w = [64, 256, 1024, 4096]
        def label = XChartPlots.logTicks([Math.log10(64), Math.log10(4096)] as double[], w)

        expect:
        w.collect { label.apply(Math.log10(it)) } == ['64', '256', '1024', '4096']
        and: 'over two decades or more only whole decades are labelled'
        XChartPlots.logTicks([-15d, 0d] as double[], new double[0]).apply(-5d) == '1e-5'
        XChartPlots.logTicks([-15d, 0d] as double[], new double[0]).apply(-2d) == '0.01'
        XChartPlots.logTicks([-15d, 0d] as double[], new double[0]).apply(-2.5d) == ' '
        and: 'over less, 1, 2 and 5 times a power of ten (ticks every 0.1 in log10)'
        XChartPlots.logTicks([0d, 1.5d] as double[], new double[0]).apply(Math.log10(2)) == '2'
        XChartPlots.logTicks([0d, 1.9d] as double[], new double[0]).apply(1.7d) == '50'
        XChartPlots.logTicks([0d, 1.5d] as double[], new double[0]).apply(0.4d) == ' '
        XChartPlots.logTicks([0d, 0.7d] as double[], new double[0]).apply(0.6d) == '4'
        XChartPlots.logTicks([0d, 1.5d] as double[], new double[0]).apply(0.6d) == ' '
        XChartPlots.logTickSpacing(1.5, 680, 74) == 43
        XChartPlots.logTickSpacing(5, 680, 74) == 74
    }

    def "equally spaced x values with an odd step get an invisible point off their grid, so ticks are round numbers"() {
        given: 'nine points over [-1.5 pi, 1.5 pi] (XChart would label the ticks -4.7124, -3.5343, ...)'
        double[] x = (0..8).collect { -1.5 * Math.PI + it * 3 * Math.PI / 8 } as double[]
        double[] y = x.collect { Math.cos(2 * it) } as double[]

        when:
        double[] p = XChartPlots.equallySpacedTickBreaker([[x, y] as double[][]])

        then: 'a third of a step right of the first point, at its y: inside the range, on no grid value'
        Math.abs(p[0] - (x[0] + Math.PI / 8)) < 1e-12
        p[1] == y[0]
        and: 'round steps, uneven values and two points need nothing'
        XChartPlots.equallySpacedTickBreaker([[[0, 0.5, 1, 1.5] as double[], [1, 2, 3, 4] as double[]] as double[][]]) == null
        XChartPlots.equallySpacedTickBreaker([[[0, 25, 50] as double[], [1, 2, 3] as double[]] as double[][]]) == null
        XChartPlots.equallySpacedTickBreaker([[[0, 1.1, 2.3] as double[], [1, 2, 3] as double[]] as double[][]]) == null
        XChartPlots.equallySpacedTickBreaker([[[0, 0.3] as double[], [1, 2] as double[]] as double[][]]) == null
        and: 'the plot still draws, with only the real series in its legend'
        plots.save(PlotSpec.lines('cos 2x', 'x', 'f', [new Series('target', x, y), new Series('fit', x, y.collect { it * 0.9 } as double[])]), dir, 'odd')
        Files.size(dir.resolve('odd.png')) > 1000
    }

    def "numbers for labels"() {
        expect:
        XChartPlots.number(v) == s

        where:
        v        || s
        1024d    || '1024'
        1023.7d  || '1020'
        0.158489 || '0.158'
        2.5e-4   || '2.5e-4'
        1.0e-16  || '1e-16'
        0.5d     || '0.5'
    }

    def "least-squares fit of exact power-law data has its exponent as slope"() {
        given:
        double[][] xy = [[1, 2, 3, 4].collect { Math.log10(it * 10) }, [1, 2, 3, 4].collect { Math.log10(3 * Math.pow(it * 10, -2.5)) }] as double[][]

        expect:
        Math.abs(XChartPlots.fit(xy)[1] + 2.5) < 1e-12
        Math.abs(XChartPlots.fit(xy)[0] - Math.log10(3)) < 1e-12
        XChartPlots.fit([[1d, 1d], [2d, 3d]] as double[][]) == null
    }

    def "values below 1e-13 x max on a log y axis are left out and listed in the note; a zero-free plot has no note"() {
        given: 'a ReLU-like spectrum whose odd degrees >= 3 are rounding noise'
        double[] k = (1..12).collect { it as double }
        double[] mu = k.collect { int d = it as int; d >= 3 && d % 2 == 1 ? 1e-17 : Math.pow(d, -2) }

        when:
        plots.save(new PlotSpec('spectrum', 'k', 'mu', true, true, true,
                [new Series('NTK', k, mu).withFit(), Series.reference('paper', [1d, 2d] as double[], [1d, 0.25d] as double[])]), dir, 'spec')
        plots.save(new PlotSpec('clean', 'k', 'mu', true, true, false, [new Series('NTK', k, k.collect { 1 / it } as double[])]), dir, 'clean')

        then:
        Files.readString(dir.resolve('spec.txt')).trim() ==
                "Left out of the log plot: 'NTK' below 1e-13 x max (zero) at x = 3, 5, 7, 9, 11"
        !Files.exists(dir.resolve('clean.txt'))
        ImageIO.read(dir.resolve('spec.png').toFile()).width == 800
        Files.readString(dir.resolve('spec.svg')).contains('<svg')
    }

    def "a label keeps its colour across the plots of one directory"() {
        given:
        double[] x = [1, 2, 3]
        def s = { String n -> new Series(n, x, x) }

        when: 'NNGP comes second in one plot and alone in the next'
        plots.save(PlotSpec.lines('a', 'x', 'y', [s('NTK'), s('NNGP')]), dir, 'a')
        plots.save(PlotSpec.lines('b', 'x', 'y', [s('NNGP')]), dir, 'b')
        def colourAt = { String f -> ImageIO.read(dir.resolve(f).toFile()) }

        then: 'the line pixels of plot b carry the second palette colour (orange), none the first (blue)'
        def img = colourAt('b.png')
        int[] px = img.getRGB(0, 0, img.width, img.height, null, 0, img.width)
        def rgbs = new HashSet<Integer>()
        for (int v : px) {
            rgbs.add(v & 0xFFFFFF)
        }
        rgbs.contains(XChartPlots.PALETTE[1].RGB & 0xFFFFFF)
        !rgbs.contains(XChartPlots.PALETTE[0].RGB & 0xFFFFFF)
    }

    def "the legend goes to the first inside corner that covers nothing drawn, else below the plot"() {
        given: 'points as [[x...], [y...]] in plot coordinates'
        def pts = { List<List<Double>> xy -> [xy[0] as double[], xy[1] as double[]] as double[][] }

        expect: 'the quickstart consistency plot (log10 of width and error): NE, NW and SE hold a point, SW is free'
        XChartPlots.legendPosition([], [pts([[2.107, 2.709, 3.311], [-0.972, -1.199, -1.813]]),
                                        pts([[2.107, 2.709, 3.311], [0.106, 0.043, 0.037]])], ['NTK', 'NNGP']) ==
                Styler.LegendPosition.InsideSW

        and: 'a rising line leaves the north-west and south-east corners free; NW comes first'
        XChartPlots.legendPosition([pts([[0d, 1d], [0d, 1d]])], [], ['a', 'b']) == Styler.LegendPosition.InsideNW

        and: 'a falling line: NE'
        XChartPlots.legendPosition([pts([[0d, 1d], [1d, 0d]])], [], ['a']) == Styler.LegendPosition.InsideNE

        and: 'a line sampled along its segments: a V touches NW, NE and the bottom middle, not the bottom corners: SE'
        XChartPlots.legendPosition([pts([[0d, 0.5d, 1d], [1d, 0d, 1d]])], [], ['a']) == Styler.LegendPosition.InsideSE

        and: 'points in all four corners: below the plot'
        XChartPlots.legendPosition([], [pts([[0d, 0d, 1d, 1d, 0.5d], [0d, 1d, 0d, 1d, 0.5d]])], ['a']) ==
                Styler.LegendPosition.OutsideS

        and: 'long labels make a wider box: a point at x = 0.75 near the top is then under it in NE, not in NW'
        XChartPlots.legendPosition([], [pts([[0d, 0.75d, 1d], [0d, 1d, 0.5d]])], ['x']) == Styler.LegendPosition.InsideNE
        XChartPlots.legendPosition([], [pts([[0d, 0.75d, 1d], [0d, 1d, 0.5d]])], ['x' * 60]) == Styler.LegendPosition.InsideNW
    }
}
