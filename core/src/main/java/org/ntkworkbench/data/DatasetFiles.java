package org.ntkworkbench.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.io.ArrayFileException;
import org.ntkworkbench.io.NpyReader;
import org.ntkworkbench.io.Npz;
import org.ntkworkbench.tensor.SeededRandom;
import org.ntkworkbench.tensor.Tensor;

/**
 * Labelled data sets from files: finds a data set's folder, reads its split from IDX, CSV or NPY/NPZ
 * files, keeps the requested classes, subsamples and normalises ({@link DatasetRequest}).
 *
 * <p><b>Where.</b> A name containing a path separator is a folder. Otherwise the folder {@code NAME} is
 * looked for under, in order: the request's {@code dataDir}, the system property {@code ntk.data}
 * (the CLI's {@code --data DIR}), the {@code NTK_DATA} environment variable ({@code :}-separated) and
 * {@code /usr/share/datasets} (where Debian's {@code dataset-fashion-mnist} package installs).
 *
 * <p><b>Files in the folder</b>, for split {@code train} (and {@code test}, whose IDX files are also
 * called {@code t10k-…}): IDX {@code train-images-idx3-ubyte[.gz]} with {@code train-labels-idx1-ubyte[.gz]};
 * or {@code train.csv} with a header and a column named {@code label} (also {@code class}, {@code y},
 * {@code target}), every other column a feature; or {@code train_x.npy} with {@code train_y.npy}; or
 * {@code train.npz} with arrays {@code x} and {@code y}. Labels must be non-negative integers.
 * Images {@code (n, h, w)} become NHWC {@code (n, h, w, 1)}, or {@code (n, h·w)} when flattened.
 */
public final class DatasetFiles {
    private DatasetFiles() {}

    /** Debian's data-set folder. */
    public static final Path DEBIAN_ROOT = Path.of("/usr/share/datasets");

    /** Class names of the data sets we know by name. */
    static final Map<String, List<String>> KNOWN = Map.of(
            "fashion-mnist", List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                    "Ankle boot"),
            "mnist", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));

    private static final Map<String, String> WHERE = Map.of(
            "fashion-mnist", "install Debian's dataset-fashion-mnist (apt install dataset-fashion-mnist) or download the four .gz files"
                    + " of https://github.com/zalandoresearch/fashion-mnist (data/fashion) into DIR/fashion-mnist",
            "mnist", "download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and"
                    + " t10k-labels-idx1-ubyte.gz (https://yann.lecun.com/exdb/mnist/ or a mirror) into DIR/mnist");

    /** The raw split before selection: labels of every example and a way to read chosen rows. */
    /**
     * Labels, a reader of the chosen rows, and whether the inputs are 8-bit pixel data (UNIT divides by 255).
     */
    record Source(int[] labels, java.util.function.Function<int[], Tensor> rowReader, boolean eightBit) {
        Tensor rows(int[] indices) {
            return rowReader.apply(indices);
        }
    }

    /** The data roots searched, in order (see the class comment). */
    public static List<Path> roots(Path dataDir) {
        List<Path> roots = new ArrayList<>();
        if (dataDir != null) {
            roots.add(dataDir);
        }
        String prop = System.getProperty("ntk.data");
        if (prop != null && !prop.isBlank()) {
            roots.add(Path.of(prop));
        }
        String env = System.getenv("NTK_DATA");
        if (env != null) {
            for (String s : env.split(":")) {
                if (!s.isBlank()) {
                    roots.add(Path.of(s));
                }
            }
        }
        roots.add(DEBIAN_ROOT);
        return roots;
    }

    /** The folder of data set {@code name}; an {@link IllegalArgumentException} (one line, where to get it) if absent. */
    public static Path folder(String name, Path dataDir) {
        if (name.contains("/") || name.contains(java.io.File.separator)) {
            Path p = Path.of(name);
            if (!Files.isDirectory(p)) {
                throw new IllegalArgumentException("data set folder " + name + ": no such directory");
            }
            return p;
        }
        List<Path> roots = roots(dataDir);
        for (Path r : roots) {
            Path p = r.resolve(name);
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        String where = WHERE.get(name);
        if (where != null) {
            throw new IllegalArgumentException("data set " + name + " not found under " + roots + ": " + where
                    + ", then pass --data DIR or set NTK_DATA=DIR");
        }
        throw new IllegalArgumentException("unknown data set '" + name + "': no folder " + name + " under " + roots
                + " (known: " + String.join(", ", KNOWN.keySet().stream().sorted().toList())
                + "; or a folder NAME with IDX, CSV or NPY/NPZ files under --data DIR or NTK_DATA)");
    }

    /** Loads, selects, subsamples and normalises as {@code req} says. */
    public static LabeledData load(DatasetRequest req) throws IOException {
        Path dir = folder(req.name(), req.dataDir());
        Source src = source(dir, req.split());
        int[] all = src.labels();
        // Classes: the requested original labels renumbered 0..k-1 in the given order, or all of them.
        int maxLabel = Arrays.stream(all).max().orElse(-1);
        List<Integer> keep = req.classes();
        if (keep == null) {
            keep = new ArrayList<>();
            for (int c = 0; c <= maxLabel; c++) {
                keep.add(c);
            }
        }
        Map<Integer, Integer> renumber = new LinkedHashMap<>();
        for (int c : keep) {
            if (c < 0 || c > maxLabel) {
                throw new IllegalArgumentException(req.name() + " " + req.split() + ": class " + c + " does not occur (labels 0.." + maxLabel + ")");
            }
            if (renumber.putIfAbsent(c, renumber.size()) != null) {
                throw new IllegalArgumentException(req.name() + ": class " + c + " listed twice");
            }
        }
        int eligible = 0;
        for (int l : all) {
            if (renumber.containsKey(l)) {
                eligible++;
            }
        }
        int n = req.n() == 0 ? eligible : req.n();
        if (n > eligible) {
            throw new IllegalArgumentException(req.name() + " " + req.split() + ": n = " + n + " asked but only " + eligible
                    + " examples" + (req.classes() == null ? "" : " of classes " + req.classes()));
        }
        int[] chosen = req.sample() == DatasetRequest.Sample.FIRST || n == eligible
                ? first(all, renumber, n) : stratified(all, renumber, n, SeededRandom.derived(req.seed(), "dataset/" + req.name() + "/" + req.split()));
        Tensor x = src.rows(chosen);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = renumber.get(all[chosen[i]]);
        }
        x = normalize(x, req.normalize(), src.eightBit());
        int[] shape = x.shape();
        if (req.flatten() && shape.length > 2) {
            x = x.reshape(n, x.size() / Math.max(n, 1));
        } else if (!req.flatten() && shape.length == 3) {
            x = x.reshape(shape[0], shape[1], shape[2], 1);
        }
        List<String> knownNames = KNOWN.get(req.name());
        List<String> names = new ArrayList<>();
        for (int c : renumber.keySet()) {
            names.add(knownNames != null && c < knownNames.size() ? knownNames.get(c) : String.valueOf(c));
        }
        return new LabeledData(req.name(), req.split(), x, labels, List.copyOf(names), chosen);
    }

    static int[] first(int[] all, Map<Integer, Integer> keep, int n) {
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < all.length && k < n; i++) {
            if (keep.containsKey(all[i])) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** A seeded draw of n examples keeping each class's share (largest remainders), returned in file order. */
    static int[] stratified(int[] all, Map<Integer, Integer> keep, int n, SeededRandom rng) {
        Map<Integer, List<Integer>> byClass = new LinkedHashMap<>();
        for (int c : keep.keySet()) {
            byClass.put(c, new ArrayList<>());
        }
        int total = 0;
        for (int i = 0; i < all.length; i++) {
            List<Integer> l = byClass.get(all[i]);
            if (l != null) {
                l.add(i);
                total++;
            }
        }
        List<Integer> cls = new ArrayList<>(byClass.keySet());
        int[] quota = new int[cls.size()];
        double[] rem = new double[cls.size()];
        int given = 0;
        for (int c = 0; c < cls.size(); c++) {
            double exact = (double) n * byClass.get(cls.get(c)).size() / total;
            quota[c] = (int) Math.floor(exact);
            rem[c] = exact - quota[c];
            given += quota[c];
        }
        while (given < n) {
            int best = -1;
            for (int c = 0; c < cls.size(); c++) {
                if (quota[c] < byClass.get(cls.get(c)).size() && (best < 0 || rem[c] > rem[best])) {
                    best = c;
                }
            }
            quota[best]++;
            rem[best] = -1;
            given++;
        }
        int[] out = new int[n];
        int k = 0;
        for (int c = 0; c < cls.size(); c++) {
            List<Integer> l = byClass.get(cls.get(c));
            int[] a = l.stream().mapToInt(Integer::intValue).toArray();
            // partial Fisher-Yates: the first quota entries are a uniform draw without replacement
            for (int i = 0; i < quota[c]; i++) {
                int j = i + rng.nextInt(a.length - i);
                int t = a[i];
                a[i] = a[j];
                a[j] = t;
                out[k++] = a[i];
            }
        }
        Arrays.sort(out);
        return out;
    }

    static Tensor normalize(Tensor x, DatasetRequest.Normalize how, boolean eightBit) {
        int n = x.dim(0);
        double[] a = x.data();
        switch (how) {
            case NONE -> {
                return x;
            }
            case UNIT -> {
                if (eightBit) {
                    for (int e = 0; e < a.length; e++) {
                        a[e] /= 255.0;
                    }
                }
                return x;
            }
            default -> {
                int p = n == 0 ? 0 : a.length / n;
                for (int i = 0; i < n; i++) {
                    double m = 0;
                    for (int e = 0; e < p; e++) {
                        m += a[i * p + e];
                    }
                    m /= p;
                    double v = 0;
                    for (int e = 0; e < p; e++) {
                        double d = a[i * p + e] - m;
                        v += d * d;
                    }
                    double s = Math.sqrt(v / p);
                    for (int e = 0; e < p; e++) {
                        a[i * p + e] = s > 0 ? (a[i * p + e] - m) / s : 0.0;
                    }
                }
                return x;
            }
        }
    }

    /** The split's files in {@code dir}, in the order of the class comment. */
    static Source source(Path dir, String split) throws IOException {
        List<String> prefixes = split.equals("test") ? List.of("t10k", "test") : List.of("train");
        for (String p : prefixes) {
            for (String rank : List.of("3", "2", "4", "1")) {
                Path images = existing(dir, p + "-images-idx" + rank + "-ubyte");
                if (images != null) {
                    Path labels = existing(dir, p + "-labels-idx1-ubyte");
                    if (labels == null) {
                        throw new ArrayFileException(dir.resolve(p + "-labels-idx1-ubyte.gz"), "no such file (the labels of " + images + ")");
                    }
                    return idx(images, labels);
                }
            }
        }
        Path csv = dir.resolve(split + ".csv");
        if (Files.isRegularFile(csv)) {
            return csv(csv);
        }
        Path nx = dir.resolve(split + "_x.npy"), ny = dir.resolve(split + "_y.npy");
        if (Files.isRegularFile(nx)) {
            if (!Files.isRegularFile(ny)) {
                throw new ArrayFileException(ny, "no such file (the labels of " + nx + ")");
            }
            return arrays(nx.toString(), NpyReader.read(nx), ny.toString(), NpyReader.read(ny));
        }
        Path npz = dir.resolve(split + ".npz");
        if (Files.isRegularFile(npz)) {
            return arrays(npz + ":x", Npz.read(npz, "x"), npz + ":y", Npz.read(npz, "y"));
        }
        throw new IllegalArgumentException(dir + ": no " + split + " files (expected " + prefixes.getFirst()
                + "-images-idx3-ubyte[.gz] with " + prefixes.getFirst() + "-labels-idx1-ubyte[.gz], " + split + ".csv, "
                + split + "_x.npy with " + split + "_y.npy, or " + split + ".npz)");
    }

    private static Path existing(Path dir, String base) {
        for (String s : List.of(".gz", "")) {
            Path p = dir.resolve(base + s);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Source idx(Path imagesFile, Path labelsFile) throws IOException {
        Idx images = Idx.read(imagesFile);
        Idx labelIdx = Idx.read(labelsFile);
        int[] labels = labelIdx.labels();
        if (labels.length != images.count()) {
            throw new ArrayFileException(labelsFile, labels.length + " labels but " + imagesFile.getFileName() + " holds "
                    + images.count() + " examples");
        }
        return new Source(labels, images::rows, true);
    }

    private static Source arrays(String xName, Tensor x, String yName, Tensor y) throws IOException {
        if (y.rank() != 1) {
            throw new ArrayFileException(yName, "labels must be 1-D, got shape " + y.shapeString());
        }
        if (x.rank() < 2 || x.dim(0) != y.dim(0)) {
            throw new ArrayFileException(xName, "inputs " + x.shapeString() + " need one row per label (" + y.dim(0) + " labels in " + yName + ")");
        }
        int[] labels = integerLabels(yName, y.data());
        return new Source(labels, x::rows, false);
    }

    static int[] integerLabels(String source, double[] y) throws ArrayFileException {
        int[] out = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            if (!(y[i] >= 0) || y[i] != Math.rint(y[i]) || y[i] > 1_000_000) {
                throw new ArrayFileException(source, "label " + i + " is " + y[i] + ", not a class index (a non-negative integer)");
            }
            out[i] = (int) y[i];
        }
        return out;
    }

    private static Source csv(Path file) throws IOException {
        org.ntkworkbench.io.ReadLog.read(file);
        List<double[]> rows = new ArrayList<>();
        int labelCol = -1;
        int cols = -1;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new ArrayFileException(file, "empty file (expected a header line)");
            }
            String[] names = header.split(",", -1);
            cols = names.length;
            for (int c = 0; c < cols; c++) {
                String h = names[c].trim().replace("\"", "").toLowerCase();
                if (labelCol < 0 && List.of("label", "class", "y", "target").contains(h)) {
                    labelCol = c;
                }
            }
            if (labelCol < 0) {
                throw new ArrayFileException(file, "no label column (a header named label, class, y or target) in " + header.strip());
            }
            if (cols < 2) {
                throw new ArrayFileException(file, "no feature columns besides the label");
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != cols) {
                    throw new ArrayFileException(file + ":" + lineNo, f.length + " fields, the header has " + cols);
                }
                double[] v = new double[cols];
                for (int c = 0; c < cols; c++) {
                    try {
                        v[c] = Double.parseDouble(f[c].trim());
                    } catch (NumberFormatException e) {
                        throw new ArrayFileException(file + ":" + lineNo, "field " + (c + 1) + " '" + f[c].trim() + "' is not a number");
                    }
                }
                rows.add(v);
            }
        }
        int n = rows.size(), d = cols - 1, lc = labelCol;
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double[] v = rows.get(i);
            y[i] = v[lc];
            for (int c = 0, k = 0; c < cols; c++) {
                if (c != lc) {
                    x[i * d + k++] = v[c];
                }
            }
        }
        return arrays(file.toString(), Tensor.of(x, n, d), file + " (label column)", Tensor.of(y, n));
    }
}
