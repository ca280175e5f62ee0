package org.ntkworkbench.runtime

import spock.lang.Requires
import spock.lang.Specification

/** PhaseTimes' run-queue column: read from Linux's per-thread scheduler statistics, left out where they are missing. */
class PhaseTimesSpec extends Specification {

    @Requires({ new File('/proc/thread-self/schedstat').canRead() })
    def "the run-queue wait of this thread is read from /proc/thread-self/schedstat and never decreases"() {
        when:
        long before = PhaseTimes.runQueueNanos()
        long spin = System.nanoTime()
        while (System.nanoTime() - spin < 20_000_000L) {
            Thread.onSpinWait()
        }
        long after = PhaseTimes.runQueueNanos()
        long[] f = new File('/proc/thread-self/schedstat').text.trim().split(/\s+/).collect { it as long }

        then: 'the second field (the first is the thread CPU time, which is larger than the 20 ms spun)'
        before >= 0
        after >= before
        f[1] >= after
        f[0] >= 20_000_000L
    }

    def "the line's field: seconds with three decimals, nothing where the wait is unknown"() {
        expect:
        PhaseTimes.waited(-1) == ''
        PhaseTimes.waited(0) == '  waited for a core  0.000 s'
        PhaseTimes.waited(1_234_000_000L) == '  waited for a core  1.234 s'
    }
}
