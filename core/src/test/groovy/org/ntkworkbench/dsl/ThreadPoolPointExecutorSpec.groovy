package org.ntkworkbench.dsl

import java.util.concurrent.ConcurrentHashMap
import org.ntkworkbench.spi.PointJob
import org.ntkworkbench.spi.PointTask
import spock.lang.Specification

/** The default point executor: results in task order whatever the pool size, pool capped by the points. */
class ThreadPoolPointExecutorSpec extends Specification {

    static PointTask<Integer> task(int i, Set<String> threads) {
        PointJob job = new PointJob('e', "n=$i", i, 1000L + i, '/tmp/run', 'e.groovy', '', [n: i])
        new PointTask<Integer>() {
            PointJob job() { job }

            Integer compute() {
                threads << Thread.currentThread().name
                Thread.sleep(20 - i)       // later tasks finish first
                i * i
            }
        }
    }

    def "returns each task's result in the order of the tasks, on #threads threads"() {
        given:
        Set<String> seen = ConcurrentHashMap.newKeySet()
        def ex = new ThreadPoolPointExecutor(threads, 'experiment-e')

        expect:
        ex.computeAll((0..<8).collect { task(it, seen) }) == (0..<8).collect { it * it }
        seen == ['experiment-e'] as Set
        ex.description(8) == expected
        ex.description(1) == '1 thread'

        where:
        threads | expected
        1       | '1 thread'
        3       | '3 threads'
        20      | '8 threads'
    }

    def "a task that throws fails the run with the point's name"() {
        given:
        def bad = new PointTask<Integer>() {
            PointJob job() { new PointJob('e', 'n=1', 0, 1L, '/tmp/run', 'e.groovy', '', [:]) }

            Integer compute() { throw new IllegalStateException('boom') }
        }

        when:
        new ThreadPoolPointExecutor(2, 't').computeAll([bad])

        then:
        def e = thrown(IllegalStateException)
        e.message == 'point n=1: java.lang.IllegalStateException: boom'
    }

    def "a job copies its script parameters and is serializable"() {
        given:
        def params = [a: 1, b: 'x']
        def job = new PointJob('e', 'n=1', 0, 1L, '/tmp/run', 'e.groovy', 'abc', params)
        params.c = 2

        when:
        def bytes = new ByteArrayOutputStream()
        new ObjectOutputStream(bytes).withCloseable { it.writeObject(job) }
        def back = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject()

        then:
        job.scriptParameters() == [a: 1, b: 'x']
        back == job
    }
}
