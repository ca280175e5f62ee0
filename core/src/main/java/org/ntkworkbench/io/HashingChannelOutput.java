package org.ntkworkbench.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The output stream of {@link AtomicFiles#write}: the writer's bytes are gathered into 1 MiB direct buffers that
 * pass through a pipeline of three threads while the writer fills the next buffer: one writes each buffer to the
 * file, the next feeds it to a SHA-256 digest, and every {@value #SYNC_EVERY_MIB} MiB a third asks the disk to
 * start writing back what is in the page cache ({@code fdatasync}), so that the final {@code fsync} of
 * {@link AtomicFiles#write} waits for the last few MiB only instead of the whole file (for a 256 MB kernel NPZ
 * that fsync took 0.2 s after everything else). Big outputs thus cost the writer only the copies into the buffers,
 * and the file's SHA-256 (which the run's manifest records) comes without reading the file back ({@link Sha256}:
 * libcrypto hashes the direct buffers in place). Small outputs
 * (up to one buffer) never start a thread: they are written and hashed on the caller's thread.
 */
final class HashingChannelOutput extends OutputStream {
    private static final int BUFFER = 1 << 20;
    /** Buffers in flight: enough that the writer, the file thread and the digest thread each have work. */
    private static final int BUFFERS = 6;
    static final int SYNC_EVERY_MIB = WriteBack.EVERY_MIB;
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final FileChannel channel;
    /**
     * Created by the digest thread (content of 1 MiB or more: {@link Sha256} by libcrypto where present) or at the end
     * (small content, no thread: the JDK unless libcrypto is linked already); read after joining that thread.
     */
    private Sha256 digest;
    /** Filled buffers waiting for the file thread, then for the digest thread, then free again. */
    private final BlockingQueue<ByteBuffer> toFile = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final BlockingQueue<ByteBuffer> toDigest = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
    /** Direct buffers kept between writes (a few MiB at most), so small files do not each allocate native memory. */
    private static final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> POOL = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final int POOL_MAX = BUFFERS;

    private ByteBuffer current = take();
    private Thread fileThread;
    private Thread digestThread;
    /** Write-back requests, from the file thread. */
    private final WriteBack writeBack;
    private volatile Throwable failure;
    private long size;
    private boolean written;

    HashingChannelOutput(FileChannel channel) {
        this.channel = channel;
        this.writeBack = new WriteBack(channel, "ntk-file-sync");
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

    /** Hands the full buffer to the file thread (the threads start at the first full buffer) and takes a free one. */
    private void hand() throws IOException {
        check();
        if (fileThread == null) {
            for (int i = 1; i < BUFFERS; i++) {
                free.add(take());
            }
            fileThread = daemon(this::writeToFile, "ntk-file-writer");
            digestThread = daemon(this::digest, "ntk-file-digest");
        }
        current.flip();
        try {
            toFile.put(current);
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

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The file thread: writes each buffer, then passes it to the digest thread; asks for write-back now and then. */
    private void writeToFile() {
        try {
            for (ByteBuffer b = toFile.take(); b != END; b = toFile.take()) {
                if (failure == null) {
                    ByteBuffer d = b.duplicate();
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                    b.position(d.position());
                    writeBack.wrote(d.remaining());
                }
                toDigest.put(b);
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            toDigest.offer(END);
        }
    }

    /** The digest thread: hashes each buffer in order, then frees it. */
    private void digest() {
        try {
            digest = Sha256.create(BUFFER); // here, not on the writer's thread: the first one links libcrypto
            for (ByteBuffer b = toDigest.take(); b != END; b = toDigest.take()) {
                if (failure == null) {
                    digest.update(b);
                }
                free.put(b);
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            if (failure != null && digest != null) {
                digest.close(); // a failed write: sha256() throws before it would use the digest
            }
        }
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

    /**
     * Writes what is left and waits until every byte is in the file (not necessarily on disk, nor hashed yet: the
     * caller forces the file to disk while the digest thread finishes; {@link #sha256} waits for it).
     */
    void finishWriting() throws IOException {
        current.flip();
        written = true;
        if (fileThread == null) {
            ByteBuffer d = current.duplicate();
            while (current.hasRemaining()) {
                channel.write(current);
            }
            digest = Sha256.create(d.remaining());
            digest.update(d);
            give(current);
        } else {
            try {
                toFile.put(current);
                toFile.put(END);
                fileThread.join();
                if (!writeBack.stop()) {
                    throw new InterruptedIOException("interrupted while writing");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing");
            }
            check();
        }
        current = null;
    }

    /** After {@link #finishWriting}: waits for the digest thread and returns the SHA-256 (hex) of all bytes written. */
    String sha256() throws IOException {
        if (!written) {
            throw new IllegalStateException("sha256() before finishWriting()");
        }
        if (digestThread != null) {
            try {
                digestThread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hashing");
            }
            check();
            // the digest thread has put every buffer back into free
            for (ByteBuffer b = free.poll(); b != null; b = free.poll()) {
                give(b);
            }
            digestThread = null;
        }
        return digest.hex();
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

    /** Stops the threads after a failed write (the file is deleted by the caller). */
    void abandon() {
        if (fileThread != null) {
            failure = failure == null ? new IOException("abandoned") : failure;
            toFile.offer(END);
            writeBack.abandon();
        }
    }
}
