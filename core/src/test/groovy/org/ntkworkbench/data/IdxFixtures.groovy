package org.ntkworkbench.data

import java.nio.ByteBuffer
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.GZIPOutputStream

/** Small IDX files written here (plain or gzip), in the MNIST layout. */
class IdxFixtures {
    /** Bytes of an IDX ubyte array with the given dims (header dims may lie: {@code headerDims}). */
    static byte[] idx(int type, int[] headerDims, byte[] data) {
        def b = ByteBuffer.allocate(4 + 4 * headerDims.length + data.length)
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) headerDims.length)
        headerDims.each { b.putInt(it) }
        b.put(data)
        b.array()
    }

    static byte[] gzip(byte[] raw) {
        def out = new ByteArrayOutputStream()
        new GZIPOutputStream(out).withCloseable { it.write(raw) }
        out.toByteArray()
    }

    /** Pixel value of image i at (r, c): deterministic, 0..255. */
    static int pixel(int i, int r, int c) {
        (i * 37 + r * 11 + c * 5 + (i % 3) * r * c) % 256
    }

    /** Label of example i: classes 0..k-1 with unequal counts. */
    static int label(int i, int k) {
        (i * 7 + i.intdiv(3) + (i % 5 == 0 ? 1 : 0)) % k
    }

    /** Writes {prefix}-images-idx3-ubyte[.gz] (n, h, w) and {prefix}-labels-idx1-ubyte[.gz] into dir. */
    static void write(Path dir, String prefix, int n, int h, int w, int k, boolean gz) {
        Files.createDirectories(dir)
        byte[] px = new byte[n * h * w]
        for (int i = 0; i < n; i++) for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) px[(i * h + r) * w + c] = (byte) pixel(i, r, c)
        byte[] lb = new byte[n]
        for (int i = 0; i < n; i++) lb[i] = (byte) label(i, k)
        byte[] images = idx(0x08, [n, h, w] as int[], px)
        byte[] labels = idx(0x08, [n] as int[], lb)
        String s = gz ? '.gz' : ''
        Files.write(dir.resolve("$prefix-images-idx3-ubyte$s"), gz ? gzip(images) : images)
        Files.write(dir.resolve("$prefix-labels-idx1-ubyte$s"), gz ? gzip(labels) : labels)
    }
}
