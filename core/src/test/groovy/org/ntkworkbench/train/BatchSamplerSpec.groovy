package org.ntkworkbench.train

import spock.lang.Specification

class BatchSamplerSpec extends Specification {

    def "each epoch visits every example once, the last batch holding the remainder"() {
        given: 'n = 10, B = 4: batches of 4, 4, 2 per epoch'
        def s = new BatchSampler(10, 4, 7)

        when:
        def epoch0 = (0..<3).collect { s.next() as List }
        def epoch1 = (0..<3).collect { s.next() as List }

        then:
        epoch0*.size() == [4, 4, 2]
        epoch0.flatten().sort() == (0..<10).toList()
        epoch1.flatten().sort() == (0..<10).toList()
        epoch0.flatten() != epoch1.flatten()
        s.epoch() == 2
        s.cursor() == 0
    }

    def "the same seed gives the same batches, another seed others"() {
        given:
        def a = new BatchSampler(100, 8, 3)
        def b = new BatchSampler(100, 8, 3)
        def c = new BatchSampler(100, 8, 4)

        when:
        def fromA = (0..<40).collect { a.next() as List }
        def fromB = (0..<40).collect { b.next() as List }
        def fromC = (0..<40).collect { c.next() as List }

        then:
        fromA == fromB
        fromA != fromC
    }

    def "restoring (epoch, cursor) continues the same sequence"() {
        given:
        def a = new BatchSampler(30, 7, 11)
        6.times { a.next() }
        def b = new BatchSampler(30, 7, 11)
        b.restore(a.epoch(), a.cursor())

        expect:
        a.epoch() == 1 && a.cursor() == 7
        (0..<10).every { a.next() as List == b.next() as List }
    }

    def "full batches are all rows in order"() {
        given:
        def s = new BatchSampler(5, 0, 1)

        expect:
        s.fullBatch()
        s.next() as List == [0, 1, 2, 3, 4]
        new BatchSampler(5, 9, 1).next() as List == [0, 1, 2, 3, 4]
    }

    def "shuffles are roughly uniform: each position holds each example with frequency 1/n"() {
        given: 'n = 5 over 5000 epochs: counts ~ Binomial(5000, 0.2), sd ≈ 28'
        def sampler = new BatchSampler(5, 2, 0)
        int[][] counts = new int[5][5]
        for (int e = 0; e < 5000; e++) {
            int[] p = sampler.permutation(e)
            for (int i = 0; i < 5; i++) counts[i][p[i]]++
        }

        expect: 'all within 5 standard deviations of 1000'
        counts.every { row -> row.every { Math.abs(it - 1000) < 5 * 28.3 } }
    }
}
