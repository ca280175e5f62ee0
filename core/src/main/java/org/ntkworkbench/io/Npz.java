package org.ntkworkbench.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.ntkworkbench.tensor.Tensor;

/**
 * NumPy {@code .npz} archives: a zip file with one {@code <name>.npy} entry per array, stored or
 * deflated (as written by {@code np.savez} and {@code np.savez_compressed}). We write stored
 * (uncompressed) entries by default, as {@code np.savez} does: deflating float64 kernels saves ~8 % of
 * the bytes for 3-4× the wall time of the whole command; {@code compress = true} deflates. Entries get a
 * fixed timestamp (1980-01-01), so equal arrays give equal bytes; writes are atomic. Entries are
 * streamed (a CRC pass, then the bytes) straight from the tensor or from an NPY file, never copied
 * into an in-memory buffer; entries over 4 GiB get Zip64 records (NumPy reads them).
 *
 * <p>Reading checks each entry's NPY header against the entry's real size in the archive and against
 * the {@link org.ntkworkbench.memory.MemoryPlanner} before allocating, so a tiny archive whose header
 * claims a huge shape is refused in one line instead of exhausting the heap.
 */
public final class Npz {
    private static final String SUFFIX = ".npy";
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {
    }

    /** All arrays in {@code file}, by name (entry name without {@code .npy}), in archive order. */
    public static LinkedHashMap<String, Tensor> read(Path file) throws IOException {
        NpyReader.checkReadable(file);
        LinkedHashMap<String, Tensor> arrays = new LinkedHashMap<>();
        try (ZipFile zip = open(file)) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (!entry.isDirectory() && entry.getName().endsWith(SUFFIX)) {
                    String name = entry.getName().substring(0, entry.getName().length() - SUFFIX.length());
                    arrays.put(name, readEntry(file, zip, entry, name));
                }
            }
        } catch (ZipException e) {
            throw new ArrayFileException(file, "corrupt zip archive: " + e.getMessage(), e);
        }
        return arrays;
    }

    /** The array called {@code name} in {@code file}; the message lists the names present if it is missing. */
    public static Tensor read(Path file, String name) throws IOException {
        NpyReader.checkReadable(file);
        try (ZipFile zip = open(file)) {
            ZipEntry entry = zip.getEntry(name + SUFFIX);
            if (entry == null) {
                throw new ArrayFileException(file, "no array '" + name + "' (arrays: " + names(zip) + ")");
            }
            return readEntry(file, zip, entry, name);
        } catch (ZipException e) {
            throw new ArrayFileException(file, "corrupt zip archive: " + e.getMessage(), e);
        }
    }

    /** The array names in {@code file}, in archive order. */
    public static List<String> names(Path file) throws IOException {
        NpyReader.checkReadable(file);
        try (ZipFile zip = open(file)) {
            return names(zip);
        }
    }

    /** Writes {@code arrays} to {@code file} atomically as stored {@code <name>.npy} entries ({@code np.savez}), in map order. */
    public static void write(Path file, Map<String, Tensor> arrays) throws IOException {
        write(file, arrays, false);
    }

    /**
     * Writes {@code arrays} to {@code file} atomically, in map order: stored entries ({@code np.savez}),
     * or deflated ones ({@code np.savez_compressed}) when {@code compress}.
     */
    public static void write(Path file, Map<String, Tensor> arrays, boolean compress) throws IOException {
        for (String name : arrays.keySet()) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("empty array name for " + file);
            }
            if (arrays.get(name) == null) {
                throw new IllegalArgumentException("array '" + name + "' is null for " + file);
            }
        }
        AtomicFiles.write(file, out -> write(out, arrays, compress));
    }

    /** Writes a stored NPZ image of {@code arrays} to {@code out} (which is not closed). */
    public static void write(OutputStream out, Map<String, Tensor> arrays) throws IOException {
        write(out, arrays, false);
    }

    /** Writes an NPZ image of {@code arrays} to {@code out} (which is not closed), deflated when {@code compress}. */
    public static void write(OutputStream out, Map<String, Tensor> arrays, boolean compress) throws IOException {
        Map<String, EntrySource> sources = new LinkedHashMap<>();
        arrays.forEach((name, t) -> sources.put(name, new TensorSource(t)));
        writeEntries(out, sources, compress);
    }

    /**
     * Writes an NPZ whose entries are the given NPY files copied byte for byte (e.g. kernels written
     * block by block with {@link NpyWriter#createMapped}), streamed through a small buffer: for
     * outputs larger than the heap. Atomic, like every write.
     */
    public static void writeNpyFiles(Path file, Map<String, Path> npyFiles, boolean compress) throws IOException {
        Map<String, EntrySource> sources = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : npyFiles.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new IllegalArgumentException("empty array name for " + file);
            }
            sources.put(e.getKey(), new FileSource(e.getValue()));
        }
        AtomicFiles.write(file, out -> writeEntries(out, sources, compress));
    }

    private static void writeEntries(OutputStream out, Map<String, EntrySource> sources, boolean compress) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setMethod(compress ? ZipOutputStream.DEFLATED : ZipOutputStream.STORED);
        for (Map.Entry<String, EntrySource> e : sources.entrySet()) {
            ZipEntry entry = new ZipEntry(e.getKey() + SUFFIX);
            entry.setTimeLocal(FIXED_TIME);
            EntrySource source = e.getValue();
            if (!compress) {
                // A stored entry's size and CRC go into the local header before the data: one
                // streaming pass to checksum, a second to write (cheap next to the disk write).
                CRC32 crc = new CRC32();
                long size;
                try (CheckedOutputStream sink = new CheckedOutputStream(OutputStream.nullOutputStream(), crc)) {
                    size = source.writeTo(sink);
                }
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(size);
                entry.setCompressedSize(size);
                entry.setCrc(crc.getValue());
            }
            zip.putNextEntry(entry);
            source.writeTo(zip);
            zip.closeEntry();
        }
        zip.finish();
    }

    /** The NPY image of one entry, written on demand (possibly twice). */
    private interface EntrySource {
        /** Writes the whole NPY image to {@code out}; returns the byte count. */
        long writeTo(OutputStream out) throws IOException;
    }

    private record TensorSource(Tensor tensor) implements EntrySource {
        @Override
        public long writeTo(OutputStream out) throws IOException {
            byte[] header = NpyWriter.header(tensor.shape());
            out.write(header);
            NpyWriter.writeData(out, tensor.data());
            return header.length + 8L * tensor.data().length;
        }
    }

    private record FileSource(Path file) implements EntrySource {
        @Override
        public long writeTo(OutputStream out) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                return in.transferTo(out);
            }
        }
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new ArrayFileException(file, "not a valid NPZ (zip) archive: " + e.getMessage(), e);
        }
    }

    private static List<String> names(ZipFile zip) {
        List<String> names = new ArrayList<>();
        zip.stream().filter(en -> !en.isDirectory() && en.getName().endsWith(SUFFIX))
                .forEach(en -> names.add(en.getName().substring(0, en.getName().length() - SUFFIX.length())));
        return names;
    }

    private static Tensor readEntry(Path file, ZipFile zip, ZipEntry entry, String name) throws IOException {
        String source = file + ":" + name;
        // What the entry can really hold: its recorded size, and for deflated data at most ~1032 bytes
        // per compressed byte (deflate's ceiling), whichever is smaller.
        long max = entry.getSize();
        if (entry.getMethod() == ZipEntry.DEFLATED && entry.getCompressedSize() >= 0) {
            long ceiling = entry.getCompressedSize() * 1032 + 1024;
            max = max < 0 ? ceiling : Math.min(max, ceiling);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return NpyReader.read(in, source, max);
        } catch (ZipException | java.io.EOFException e) {
            throw new ArrayFileException(source, "corrupt archive entry: " + e.getMessage(), e);
        }
    }
}
