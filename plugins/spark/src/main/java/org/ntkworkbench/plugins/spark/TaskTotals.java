package org.ntkworkbench.plugins.spark;

import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * What Spark itself measured for the tasks of this engine's jobs (its task metrics, summed as tasks end):
 * task count, the task threads' CPU and run time, result bytes sent to the driver, and shuffle bytes
 * written and fetched. The benchmarks read these to check the cost model against measured numbers rather
 * than against the engine's own arithmetic. Task-end events arrive asynchronously after a job returns:
 * {@link #await} waits for them.
 */
public final class TaskTotals extends SparkListener {
    private long tasks;
    private long failedTasks;
    private long cpuNanos;
    private long runMillis;
    private long resultBytes;
    private long shuffleWriteBytes;
    private long shuffleReadBytes;

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        TaskMetrics m = end.taskMetrics();
        tasks++;
        if (!end.taskInfo().successful()) {
            failedTasks++;
        }
        if (m != null) {
            cpuNanos += m.executorCpuTime();
            runMillis += m.executorRunTime();
            resultBytes += m.resultSize();
            shuffleWriteBytes += m.shuffleWriteMetrics().bytesWritten();
            shuffleReadBytes += m.shuffleReadMetrics().remoteBytesRead() + m.shuffleReadMetrics().localBytesRead();
        }
        notifyAll();
    }

    /** Waits up to {@code millis} until at least {@code count} tasks ended in total; returns this. */
    public synchronized TaskTotals await(long count, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (tasks < count) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return this;
    }

    /** A copy of the totals so far (subtract two snapshots for one job). */
    public synchronized long[] snapshot() {
        return new long[] {tasks, failedTasks, cpuNanos, runMillis, resultBytes, shuffleWriteBytes, shuffleReadBytes};
    }

    /** Names of the {@link #snapshot()} entries, in order. */
    public static final String[] NAMES = {"tasks", "failed_tasks", "task_cpu_ns", "task_run_ms", "result_bytes",
            "shuffle_write_bytes", "shuffle_read_bytes"};
}
