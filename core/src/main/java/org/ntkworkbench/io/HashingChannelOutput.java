package org.ntkworkbench.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The output stream of {@link AtomicFiles#write}: the writer's bytes are gathered into 1 MiB direct buffers that a
 * second thread writes to the file and feeds to a SHA-256 digest, while the writer fills the next buffer. Big
 * outputs (a 256 MB kernel NPZ) thus cost the writer only the copies into the buffers, and the file's SHA-256
 * (which the run's manifest records) comes for free instead of from reading the file back. Small outputs never
 * start the thread: they are written and hashed on the caller's thread at {@link #finish}.
 */
final class HashingChannelOutput extends OutputStream {
    private static final int BUFFER = 1 << 20;
    private static final int BUFFERS = 3;
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final FileChannel channel;
    private final MessageDigest digest;
    private final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
    /** Direct buffers kept between writes (a few MiB at most), so small files do not each allocate native memory. */
    private static final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> POOL = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final int POOL_MAX = 2 * BUFFERS;

    private ByteBuffer current = take();
    private Thread drainer;
    private volatile Throwable failure;
    private long size;

    HashingChannelOutput(FileChannel channel) {
        this.channel = channel;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        if (!current.hasRemaining()) {
            hand();
        }
        current.put((byte) b);
        size++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!current.hasRemaining()) {
                hand();
            }
            int n = Math.min(len, current.remaining());
            current.put(b, off, n);
            off += n;
            len -= n;
            size += n;
        }
    }

    /** Bytes written so far. */
    long size() {
        return size;
    }

    /** Hands the full buffer to the drain thread (started on the first full buffer) and takes a free one. */
    private void hand() throws IOException {
        check();
        if (drainer == null) {
            for (int i = 1; i < BUFFERS; i++) {
                free.add(take());
            }
            drainer = new Thread(this::drain, "ntk-file-writer");
            drainer.setDaemon(true);
            drainer.start();
        }
        current.flip();
        try {
            full.put(current);
            current = null;
            while (current == null) {
                current = free.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        }
        current.clear();
    }

    private void drain() {
        try {
            for (ByteBuffer b = full.take(); b != END; b = full.take()) {
                if (failure == null) {
                    writeAndHash(b);
                }
                free.put(b);
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    private void writeAndHash(ByteBuffer b) throws IOException {
        ByteBuffer forDigest = b.duplicate();
        while (b.hasRemaining()) {
            channel.write(b);
        }
        digest.update(forDigest);
    }

    private void check() throws IOException {
        Throwable f = failure;
        if (f instanceof IOException io) {
            throw io;
        }
        if (f != null) {
            throw new IOException("writing failed: " + f, f);
        }
    }

    /** Writes what is left, waits for the drain thread, and returns the SHA-256 (hex) of all bytes written. */
    String finish() throws IOException {
        current.flip();
        if (drainer == null) {
            writeAndHash(current);
            give(current);
        } else {
            try {
                full.put(current);
                full.put(END);
                drainer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing");
            }
            check();
            // the drain thread has put every buffer back into free
            for (ByteBuffer b = free.poll(); b != null; b = free.poll()) {
                give(b);
            }
        }
        current = null;
        return HexFormat.of().formatHex(digest.digest());
    }

    private static ByteBuffer take() {
        ByteBuffer b = POOL.poll();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(BUFFER);
    }

    private static void give(ByteBuffer b) {
        if (b != null && POOL.size() < POOL_MAX) {
            POOL.add(b);
        }
    }

    /** Stops the drain thread after a failed write (the file is deleted by the caller). */
    void abandon() {
        if (drainer != null) {
            failure = failure == null ? new IOException("abandoned") : failure;
            full.offer(END);
        }
    }
}
