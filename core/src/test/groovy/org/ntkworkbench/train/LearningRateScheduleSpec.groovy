package org.ntkworkbench.train

import spock.lang.Specification

class LearningRateScheduleSpec extends Specification {

    static final List<Long> STEPS = [0L, 1L, 9L, 10L, 25L, 50L, 99L, 100L, 150L]

    static double formula(String name, long t) {
        switch (name) {
            case 'constant': return 0.3d
            case 'step decay': return 1d / (1L << (int) (t / 10))
            case 'exponential': return 2d * Math.exp(t * Math.log(0.99d))
            case 'cosine': return t >= 100 ? 0.1d : 0.1d + 0.45d * (1 + Math.cos(Math.PI * t / 100))
        }
        throw new IllegalArgumentException(name)
    }

    def "#name follows its formula"() {
        when:
        def relErrors = STEPS.collect { long t -> Math.abs(schedule.rate(t) - formula(name, t)) / formula(name, t) }

        then:
        relErrors.every { it <= 1e-13 }

        where:
        name          | schedule
        'constant'    | LearningRateSchedule.constant(0.3d)
        'step decay'  | LearningRateSchedule.stepDecay(1d, 0.5d, 10)
        'exponential' | LearningRateSchedule.exponential(2d, 0.99d)
        'cosine'      | LearningRateSchedule.cosine(1d, 100, 0.1d)
    }

    def "step decay halves at multiples of the period"() {
        given:
        def s = LearningRateSchedule.stepDecay(1d, 0.5d, 10)

        expect:
        s.rate(9) == 1d
        s.rate(10) == 0.5d
        s.rate(25) == 0.25d
    }

    def "cosine reaches the midpoint half-way and the floor at the end"() {
        given:
        def s = LearningRateSchedule.cosine(1d, 100, 0d)

        expect:
        s.rate(0) == 1d
        Math.abs(s.rate(50) - 0.5d) < 1e-15
        Math.abs(s.rate(100)) < 1e-15
        s.rate(1000) == 0d
    }

    def "warm-up ramps linearly to the inner schedule, which then starts from its own step 0"() {
        given: 'W = 4 steps before a step decay from 0.8 halving every 2 steps'
        def s = LearningRateSchedule.warmup(4, LearningRateSchedule.stepDecay(0.8d, 0.5d, 2))
        def expected = [0.2d, 0.4d, 0.6d, 0.8d, 0.8d, 0.8d, 0.4d, 0.4d, 0.2d]

        expect:
        (0..<9).every { Math.abs(s.rate(it) - expected[it]) < 1e-15 }
    }

    def "non-positive rates are rejected"() {
        when:
        LearningRateSchedule.constant(-1d)
        then:
        thrown(IllegalArgumentException)
    }
}
