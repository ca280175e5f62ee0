package org.ntkworkbench.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.Semaphore;

/**
 * Early write-back of a file while it is being written: every {@value #EVERY_MIB} MiB written, a daemon thread is
 * asked for one {@code fdatasync}, so that the disk writes the file back while the rest is still being produced and
 * the writer's final {@code fsync} waits for the last few MiB only. Only a head start: that final force decides
 * durability, so a failure here is left for it to report. Used by {@link HashingChannelOutput} (streams) and
 * {@link NpzRowWriter} (positional writes); one writing thread calls {@link #wrote}.
 */
final class WriteBack {
    /** Bytes between two write-back requests, in MiB. */
    static final int EVERY_MIB = 32;

    private final FileChannel channel;
    private final String threadName;
    /** A permit asks the thread for one more fdatasync; it never queues more than one. */
    private final Semaphore requests = new Semaphore(0);
    private volatile boolean stop;
    private Thread thread;
    private long sinceRequest;

    WriteBack(FileChannel channel, String threadName) {
        this.channel = channel;
        this.threadName = threadName;
    }

    /** Counts {@code bytes} just written; past {@value #EVERY_MIB} MiB since the last request, asks for a write-back (the thread starts at the first). */
    void wrote(long bytes) {
        sinceRequest += bytes;
        if (sinceRequest < (long) EVERY_MIB << 20) {
            return;
        }
        sinceRequest = 0;
        if (thread == null) {
            thread = new Thread(this::run, threadName);
            thread.setDaemon(true);
            thread.start();
        }
        if (requests.availablePermits() == 0) {
            requests.release();
        }
    }

    /** Stops the thread (if one started) and waits for it; false if this thread was interrupted meanwhile (its flag is set again). */
    boolean stop() {
        if (thread == null) {
            return true;
        }
        abandon();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            thread = null;
        }
        return true;
    }

    /** Asks the thread (if one started) to stop, without waiting: after a failed write. */
    void abandon() {
        if (thread != null) {
            stop = true;
            requests.release();
        }
    }

    private void run() {
        try {
            while (true) {
                requests.acquire();
                if (stop) {
                    return;
                }
                channel.force(false);
            }
        } catch (InterruptedException | IOException | RuntimeException e) {
            // the final force reports any real problem
        }
    }
}
