package org.ntkworkbench.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.ntkworkbench.tensor.Tensor;

/**
 * NumPy {@code .npz} archives: a zip file with one {@code <name>.npy} entry per array, stored or
 * deflated (as written by {@code np.savez} and {@code np.savez_compressed}). We write deflated entries
 * with a fixed timestamp (1980-01-01), so equal arrays give equal bytes; writes are atomic.
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

    /** Writes {@code arrays} to {@code file} atomically as deflated {@code <name>.npy} entries, in map order. */
    public static void write(Path file, Map<String, Tensor> arrays) throws IOException {
        for (String name : arrays.keySet()) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("empty array name for " + file);
            }
            if (arrays.get(name) == null) {
                throw new IllegalArgumentException("array '" + name + "' is null for " + file);
            }
        }
        AtomicFiles.write(file, out -> write(out, arrays));
    }

    /** Writes an NPZ image of {@code arrays} to {@code out} (which is not closed). */
    public static void write(OutputStream out, Map<String, Tensor> arrays) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setMethod(ZipOutputStream.DEFLATED);
        for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
            ZipEntry entry = new ZipEntry(e.getKey() + SUFFIX);
            entry.setTimeLocal(FIXED_TIME);
            zip.putNextEntry(entry);
            NpyWriter.write(zip, e.getValue());
            zip.closeEntry();
        }
        zip.finish();
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
        try (InputStream in = zip.getInputStream(entry)) {
            return NpyReader.read(in, source);
        } catch (ZipException | java.io.EOFException e) {
            throw new ArrayFileException(source, "corrupt archive entry: " + e.getMessage(), e);
        }
    }
}
