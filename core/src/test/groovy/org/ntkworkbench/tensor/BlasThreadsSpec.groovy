package org.ntkworkbench.tensor

import spock.lang.Specification

/** OpenBLAS's thread count: set and read back through the library, and the policy's explicit override. */
class BlasThreadsSpec extends Specification {

    int saved

    def setup() {
        saved = BlasThreads.current()
    }

    def cleanup() {
        System.clearProperty('ntk.blas.threads')
        BlasThreads.set(saved)
    }

    def "the thread count set is the one OpenBLAS reports"() {
        expect:
        saved >= 1

        when:
        BlasThreads.set(1)

        then:
        BlasThreads.current() == 1

        when:
        BlasThreads.set(2)

        then:
        BlasThreads.current() == 2
    }

    def "-Dntk.blas.threads wins over the load rule and is named in the decision"() {
        given:
        BlasThreads.set(2)
        System.setProperty('ntk.blas.threads', '1')

        when:
        String d = BlasThreads.applyDefault()

        then:
        d == '1 (-Dntk.blas.threads)'
        BlasThreads.decision() == d
        BlasThreads.current() == 1

        and: 'a product computed on one thread is still right'
        double[] c = new double[4]
        Blas.gemm(false, false, 2, 2, 2, 1d, [1d, 2d, 3d, 4d] as double[], [5d, 6d, 7d, 8d] as double[], 0d, c)
        c as List == [19d, 22d, 43d, 50d]
    }

    def "the load average the rule compares with is the JDK's one-minute value (read from /proc/loadavg where it exists)"() {
        when:
        double bean = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
        double ours = BlasThreads.loadAverage()
        double after = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()

        then: "the bean's number to the file's 2 decimals (the kernel updates it every 5 s: one of two reads around ours)"
        ours >= 0 || bean < 0
        Math.abs(ours - bean) <= 0.0101 || Math.abs(ours - after) <= 0.0101
    }
}
