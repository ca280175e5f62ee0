package org.ntkworkbench.io;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * A stored NPZ ({@code np.savez}) of float64 {@code (rows, cols)} arrays written row block by row block, as the rows
 * are computed: the entries' sizes are known in advance, so each block goes by a positional write straight to its
 * place in the file, and the whole arrays never exist in memory (for a 4000 × 4000 kernel that saves two 128 MB
 * arrays, whose first touch costs more than computing them). Each entry's CRC-32 is updated as its rows arrive (in
 * row order); an entry's local header is written when its last row is, and from then on the file's SHA-256 (for the
 * run manifest, as {@link AtomicFiles#writtenSha256}) is computed on a thread over the bytes that are final (so an
 * entry written before the next one starts is hashed while the next one is written); the central directory is
 * written last, and the file is forced to disk and renamed into place while the rest is hashed (the digest is
 * {@linkplain AtomicFiles#writtenSha256 waited for} by the run manifest, which comes later):
 * the bytes, the atomicity (temporary sibling, fsync, rename, {@link AtomicFiles.OutputUnit}) and the durability are
 * those of {@link Npz#write} with {@code compress = false}; {@code NpzRowWriterSpec} compares the bytes.
 *
 * <p>Only archives below 4 GiB (no Zip64 records) are written this way ({@link #fits}); the caller writes bigger ones
 * as before. Not thread-safe: one thread at a time calls {@link #writeRows} (the kernel's row emitter).
 * {@link #close} without {@link #commit} deletes the temporary file: nothing appears under the final name.
 */
public final class NpzRowWriter implements Closeable {
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    private static final long ZIP32_LIMIT = 0xFFFFFFFFL;
    private static final int LOC = 30;
    private static final int CEN = 46;
    private static final int END = 22;
    /** The extended-timestamp extra field {@code ZipOutputStream} writes for the fixed time: id, size, flag, mtime. */
    private static final int EXTT = 9;

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final List<String> names;
    private final int rows;
    private final int cols;
    private final byte[][] nameBytes;
    private final long[] locOffset;
    private final long[] dataOffset;
    private final long entrySize;
    private final long cenOffset;
    private final CRC32[] crc;
    private final int[] rowsDone;
    private ByteBuffer buffer;
    private final WriteBack writeBack;
    private final int dosTime;
    private final int unixTime;
    /** Entries {@code [0, prefix)} are complete, their local headers written: the file's first bytes are final. */
    private int prefix;
    private final boolean[] headerWritten;
    private final Hasher hasher = new Hasher();
    private boolean committed;
    private boolean closed;

    /** True when the stored NPZ of {@code entries} float64 {@code (rows, cols)} arrays named {@code <name>.npy} needs no Zip64 records. */
    public static boolean fits(List<String> names, long rows, long cols) {
        long entry = NpyWriter.header(new int[] {(int) Math.min(rows, Integer.MAX_VALUE), (int) Math.min(cols, Integer.MAX_VALUE)}).length
                + rows * cols * 8;
        long total = END;
        for (String n : names) {
            int len = (n + ".npy").getBytes(StandardCharsets.UTF_8).length;
            total += LOC + EXTT + CEN + EXTT + 2L * len + entry;
        }
        return rows >= 0 && cols >= 0 && rows * cols <= Integer.MAX_VALUE && entry < ZIP32_LIMIT && total < ZIP32_LIMIT;
    }

    private NpzRowWriter(Path target, List<String> names, int rows, int cols) throws IOException {
        if (!fits(names, rows, cols)) {
            throw new IllegalArgumentException("an NPZ of " + names.size() + " (" + rows + ", " + cols + ") arrays needs Zip64");
        }
        if (names.isEmpty() || names.stream().anyMatch(n -> n == null || n.isEmpty()) || names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("array names must be distinct and non-empty: " + names);
        }
        this.target = target;
        this.names = List.copyOf(names);
        this.rows = rows;
        this.cols = cols;
        int k = names.size();
        nameBytes = new byte[k][];
        locOffset = new long[k];
        dataOffset = new long[k];
        crc = new CRC32[k];
        rowsDone = new int[k];
        headerWritten = new boolean[k];
        byte[] header = NpyWriter.header(new int[] {rows, cols});
        entrySize = header.length + (long) rows * cols * 8;
        long off = 0;
        for (int e = 0; e < k; e++) {
            nameBytes[e] = (names.get(e) + ".npy").getBytes(StandardCharsets.UTF_8);
            locOffset[e] = off;
            dataOffset[e] = off + LOC + nameBytes[e].length + EXTT;
            off = dataOffset[e] + entrySize;
        }
        cenOffset = off;
        ZipEntry fixed = new ZipEntry("x");
        fixed.setTimeLocal(FIXED_TIME);
        dosTime = (int) dosTime(FIXED_TIME);
        java.nio.file.attribute.FileTime mtime = fixed.getLastModifiedTime();
        if (mtime == null) {
            throw new IllegalStateException("no modification time");
        }
        unixTime = (int) mtime.to(TimeUnit.SECONDS);
        temp = AtomicFiles.createTemporarySibling(target);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.READ);
            for (int e = 0; e < k; e++) {
                crc[e] = new CRC32();
                crc[e].update(header);
                writeFully(ch, ByteBuffer.wrap(header), dataOffset[e]);
            }
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            Files.deleteIfExists(temp);
            throw e;
        }
        channel = ch;
        writeBack = new WriteBack(ch, "ntk-npz-sync");
    }

    /**
     * A writer for {@code target}: a stored NPZ whose entries are {@code <name>.npy}, float64 {@code (rows, cols)}, in
     * the order of {@code names}; written into a temporary sibling until {@link #commit}.
     */
    public static NpzRowWriter create(Path target, List<String> names, int rows, int cols) throws IOException {
        return new NpzRowWriter(target, names, rows, cols);
    }

    /**
     * Rows {@code [from, to)} of entry {@code entry} (an index into the names): {@code data[0 .. (to - from)·cols)},
     * row-major. Each entry's rows must come in order ({@code from} = the rows written so far).
     */
    public void writeRows(int entry, int from, int to, double[] data) throws IOException {
        if (committed || closed) {
            throw new IllegalStateException("writer is " + (closed ? "closed" : "committed"));
        }
        if (from != rowsDone[entry] || to < from || to > rows) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") of '" + names.get(entry) + "' after " + rowsDone[entry] + " rows");
        }
        int count = (to - from) * cols;
        if (buffer == null || buffer.capacity() < 8L * count) {
            buffer = ByteBuffer.allocateDirect(Math.max(8 * count, 1 << 16)).order(ByteOrder.LITTLE_ENDIAN);
        }
        buffer.clear();
        buffer.asDoubleBuffer().put(data, 0, count);
        buffer.limit(8 * count);
        crc[entry].update(buffer.duplicate());
        writeFully(channel, buffer, dataOffset[entry] + (entrySize - 8L * rows * cols) + (long) from * cols * 8);
        rowsDone[entry] = to;
        // An early write-back, so that the final fsync waits only for the tail.
        writeBack.wrote(8L * count);
        if (to == rows) {
            entryComplete(entry);
        }
    }

    /**
     * Entry {@code e} has all its rows, so its CRC is known: its local header is written now, and the file's SHA-256
     * (for the manifest) starts on a thread over every byte that is final, i.e. up to the first incomplete entry's
     * header. A caller that writes the entries one after the other ({@code nngp} first, then {@code ntk}) gets the
     * first entry hashed while it writes the second; the bytes are the same whatever the order.
     */
    private void entryComplete(int e) throws IOException {
        ByteBuffer loc = ByteBuffer.allocate(LOC + nameBytes[e].length + EXTT).order(ByteOrder.LITTLE_ENDIAN);
        loc.putInt(0x04034b50).putShort((short) 10).putShort((short) 0x800).putShort((short) 0).putInt(dosTime)
                .putInt((int) crc[e].getValue()).putInt((int) entrySize).putInt((int) entrySize)
                .putShort((short) nameBytes[e].length).putShort((short) EXTT).put(nameBytes[e]);
        extendedTime(loc, unixTime);
        writeFully(channel, loc.flip(), locOffset[e]);
        headerWritten[e] = true;
        while (prefix < names.size() && headerWritten[prefix]) {
            prefix++;
        }
        if (prefix > 0) {
            hasher.upTo(prefix < names.size() ? locOffset[prefix] : cenOffset, false);
        }
    }

    /**
     * Every row of every entry written: writes the zip headers, forces the file to disk and renames it into place
     * (under the target's {@link AtomicFiles.OutputUnit} lock, if one is open). Returns without waiting for the rest
     * of the SHA-256 (the NTK entry, 128 MB at n = 4000, ~0.09 s): the caller's next steps (the run manifest's other
     * parts) overlap it, and {@link AtomicFiles#writtenSha256} waits for it (a failed digest: null, the file is
     * hashed again).
     */
    public void commit() throws IOException {
        for (int e = 0; e < names.size(); e++) {
            if (rowsDone[e] != rows) {
                throw new IllegalStateException("'" + names.get(e) + "' has " + rowsDone[e] + " of " + rows + " rows");
            }
        }
        for (int e = 0; e < names.size(); e++) {
            if (!headerWritten[e]) {
                entryComplete(e); // an entry of 0 rows: no row was ever written
            }
        }
        ByteBuffer cen = ByteBuffer.allocate(names.size() * (CEN + EXTT) + names.stream().mapToInt(n -> n.length() + 8).sum() + END)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int e = 0; e < names.size(); e++) {
            int c = (int) crc[e].getValue();
            cen.putInt(0x02014b50).putShort((short) 10).putShort((short) 10).putShort((short) 0x800).putShort((short) 0)
                    .putInt(dosTime).putInt(c).putInt((int) entrySize).putInt((int) entrySize)
                    .putShort((short) nameBytes[e].length).putShort((short) EXTT).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt((int) locOffset[e]).put(nameBytes[e]);
            extendedTime(cen, unixTime);
        }
        int cenLength = cen.position();
        cen.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) names.size()).putShort((short) names.size())
                .putInt(cenLength).putInt((int) cenOffset).putShort((short) 0);
        writeFully(channel, cen.flip(), cenOffset);
        long size = cenOffset + cen.limit();
        writeBack.stop();
        // The rest of the file hashed on the hasher thread while this one forces it to disk, renames it and goes on
        // (the run manifest waits for the digest); the channel is closed when both are done with it.
        hasher.upTo(size, true);
        channel.force(true);
        hasher.underFinalName = true;
        AtomicFiles.moveIntoPlace(temp, target);
        committed = true;
        hasher.release();
        AtomicFiles.remember(target, size, hasher.result);
    }

    /** False only in tests: every byte hashed as after the rename (read, not mapped). */
    static volatile boolean mapTemporary = true;

    /**
     * The SHA-256 of the temporary file, computed on a daemon thread ({@code ntk-npz-digest}) up to the last byte known
     * to be final, which then waits for more. The final bytes are mapped and hashed in place from the page cache by
     * {@link Sha256} (libcrypto where present), not read back into a buffer: for the 256 MB NPZ of {@code ntk kernel}
     * at n = 4000 the thread took 0.20-0.23 CPU s, against 0.26-0.39 s reading back into MessageDigest (session 8).
     * Mapping is safe while the file is this writer's own hidden temporary, which nothing truncates; what is left to hash
     * after commit has renamed it is read instead (~0.02 CPU s more for the NTK half).
     */
    private final class Hasher implements Runnable {
        /** Hashed between two looks at {@link #abandoned}. */
        private static final long PIECE = 8 << 20;
        private long limit;
        private boolean last;
        private volatile boolean abandoned;
        /** Set by commit just before the rename: from then on the rest is read, not mapped. */
        private volatile boolean underFinalName;
        private Thread thread;
        /** The thread has ended; commit is done with the channel: whichever comes second closes the channel. */
        private boolean finished;
        private boolean released;
        /** The digest of the whole file (after {@code upTo(size, true)}); completed exceptionally if hashing failed. */
        final CompletableFuture<String> result = new CompletableFuture<>();

        /** Bytes {@code [0, end)} are final ({@code last}: the whole file); starts the thread at the first call. */
        synchronized void upTo(long end, boolean last) {
            limit = Math.max(limit, end);
            this.last |= last;
            if (thread == null) {
                thread = new Thread(this, "ntk-npz-digest");
                thread.setDaemon(true);
                thread.start();
            }
            notifyAll();
        }

        /** Stops the thread without waiting (the file is being deleted). */
        synchronized void abandon() {
            abandoned = true;
            notifyAll();
        }

        @Override
        public void run() {
            try (Sha256 d = Sha256.create(cenOffset)) {
                long pos = 0;
                while (true) {
                    long end;
                    synchronized (this) {
                        while (pos == limit && !last && !abandoned) {
                            wait();
                        }
                        if (abandoned) {
                            throw new IOException("abandoned");
                        }
                        if (pos == limit) {
                            break;
                        }
                        end = limit;
                    }
                    // The final bytes [pos, end) are in the page cache: hashed in place, mapped, while the file is
                    // still the hidden temporary; once commit has renamed it, read instead (Sha256.update: see why there).
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment region = channel.map(FileChannel.MapMode.READ_ONLY, pos, end - pos, arena);
                        for (long off = 0; off < region.byteSize() && mapTemporary && !underFinalName; off += PIECE) {
                            if (abandoned) {
                                throw new IOException("abandoned");
                            }
                            long n = Math.min(PIECE, region.byteSize() - off);
                            d.update(region.asSlice(off, n));
                            pos += n;
                        }
                    }
                    if (pos < end && d.update(channel, pos, end) < end) {
                        throw new IOException("file shorter than written");
                    }
                    pos = end;
                }
                String hex = d.hex();
                result.complete(hex);
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                synchronized (this) {
                    finished = true;
                    if (released) {
                        closeChannel();
                    }
                }
            }
        }

        /** Commit is done with the channel: closed now if the digest is done, else by this thread when it is. */
        synchronized void release() {
            released = true;
            if (finished) {
                closeChannel();
            }
        }

        private void closeChannel() {
            try {
                channel.close();
            } catch (IOException e) {
                // the file is complete and durable (forced) before commit renames it; nothing is lost
            }
        }
    }

    private static void extendedTime(ByteBuffer b, int unixTime) {
        b.putShort((short) 0x5455).putShort((short) 5).put((byte) 1).putInt(unixTime);
    }

    /** MS-DOS date and time of {@code t} as {@link ZipEntry#setTimeLocal} computes them (whole seconds). */
    private static long dosTime(LocalDateTime t) {
        return ((t.getYear() - 1980) << 25 | t.getMonthValue() << 21 | t.getDayOfMonth() << 16 | t.getHour() << 11
                | t.getMinute() << 5 | t.getSecond() >> 1) & 0xffffffffL;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
    }

    /** Deletes the temporary file unless {@link #commit} succeeded. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!committed) {
            hasher.abandon();
            writeBack.stop();
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
