package org.ntkworkbench.memory;

import java.util.Locale;

/**
 * The one place that decides how a big array is computed: every command and word that allocates an
 * array whose size grows with the data (analytic and empirical kernels, NPY/NPZ reading, eigen
 * decompositions, kernel solves) first estimates its bytes and asks {@link #plan}: the answer is
 * {@link Mode#IN_MEMORY} (fits the budget), {@link Mode#BLOCKWISE} (the whole does not fit but the
 * caller can stream blocks through a memory-mapped file, and one block set does fit), or a
 * {@link MemoryBudgetException} whose single line names the knobs: {@code --memory GB}, the JVM heap
 * ({@code NTK_JAVA_OPTS=-Xmx…}) and {@code --engine spark}.
 *
 * <p>The budget is {@code --memory GB} when given (capped at the heap less the margin, since in-memory
 * arrays live on the heap), else the JVM's maximum heap less a margin of
 * {@value #MARGIN_PERCENT} % (at least {@value #MIN_MARGIN_MIB} MiB) for the JVM, class metadata and
 * small arrays. Estimates are compared with the whole budget rather than with what is free at the
 * moment: garbage not yet collected makes "free" noisy, and a plan must not depend on GC timing.
 * Callers that keep several big arrays alive add them into one estimate.
 *
 * <p>A process-wide planner ({@link #current()}) is set once by the command line ({@code --memory});
 * library code asks it, tests make their own with {@link #ofBytes}.
 */
public final class MemoryPlanner {
    /** The heap share kept back for everything that is not a planned array. */
    public static final int MARGIN_PERCENT = 15;
    /** The smallest margin kept back, in MiB. */
    public static final int MIN_MARGIN_MIB = 256;

    private static volatile MemoryPlanner current;

    private final long budgetBytes;
    private final boolean explicit;

    private MemoryPlanner(long budgetBytes, boolean explicit) {
        this.budgetBytes = budgetBytes;
        this.explicit = explicit;
    }

    /** How a planned computation runs. */
    public enum Mode {
        /** The whole array (and its working arrays) fits the budget: compute in memory. */
        IN_MEMORY,
        /** Too big for memory, but blocks of it fit: stream row blocks through a memory-mapped file. */
        BLOCKWISE
    }

    /** The process-wide planner: the {@code --memory} budget if set, else the heap's ({@link #fromHeap()}). */
    public static MemoryPlanner current() {
        MemoryPlanner p = current;
        return p != null ? p : fromHeap();
    }

    /** Makes {@code planner} the process-wide one ({@code null}: back to the heap default). */
    public static void setCurrent(MemoryPlanner planner) {
        current = planner;
    }

    /** The default budget: the JVM's maximum heap less the margin. */
    public static MemoryPlanner fromHeap() {
        return new MemoryPlanner(heapBudget(), false);
    }

    /**
     * The budget of {@code --memory GB} ({@code gb} > 0). A value above the heap less the margin is
     * refused in one line: in-memory arrays live on the heap, so the heap must grow first.
     */
    public static MemoryPlanner ofGigabytes(double gb) {
        if (!(gb > 0) || Double.isInfinite(gb)) {
            throw new IllegalArgumentException("--memory " + gb + ": expected a positive number of GB");
        }
        long bytes = (long) (gb * 1e9);
        long heap = heapBudget();
        if (bytes > heap) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--memory %s GB is more than the JVM heap allows (%s after a %d %% margin): start the JVM with "
                            + "a larger heap, e.g. NTK_JAVA_OPTS=-Xmx%dg", trim(gb), gb(heap), MARGIN_PERCENT,
                    (long) Math.ceil(gb / (1 - MARGIN_PERCENT / 100.0)) + 1));
        }
        return new MemoryPlanner(bytes, true);
    }

    /** A planner with an explicit budget in bytes (tests, embedding). */
    public static MemoryPlanner ofBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memory budget " + bytes + " bytes must be positive");
        }
        return new MemoryPlanner(bytes, true);
    }

    /** The budget in bytes. */
    public long budgetBytes() {
        return budgetBytes;
    }

    /** True when {@code bytes} fit the budget. */
    public boolean fits(long bytes) {
        return bytes >= 0 && bytes <= budgetBytes;
    }

    /**
     * Plans a computation: {@link Mode#IN_MEMORY} when {@code inMemoryBytes} fits, else
     * {@link Mode#BLOCKWISE} when the caller can go blockwise ({@code blockwiseBytes ≥ 0}: its peak with
     * the smallest block) and that fits, else a {@link MemoryBudgetException}.
     *
     * @param what           what is being computed, for the message (e.g. {@code "the NTK of 20000 x 20000 examples"})
     * @param inMemoryBytes  estimated peak bytes of the in-memory computation
     * @param blockwiseBytes estimated peak bytes of the blockwise computation with the smallest block,
     *                       or {@code -1} when this computation cannot go blockwise
     */
    public Mode plan(String what, long inMemoryBytes, long blockwiseBytes) {
        if (fits(inMemoryBytes)) {
            return Mode.IN_MEMORY;
        }
        if (blockwiseBytes >= 0 && fits(blockwiseBytes)) {
            return Mode.BLOCKWISE;
        }
        throw refusal(what, blockwiseBytes >= 0 ? blockwiseBytes : inMemoryBytes);
    }

    /** Throws the one-line refusal unless {@code bytes} fit: for computations that can only run in memory. */
    public void require(String what, long bytes) {
        plan(what, bytes, -1);
    }

    /**
     * How many rows of {@code bytesPerRow} each fit into {@code share} of the budget (at least 1, at most
     * {@code rows}): the block size of a blockwise computation.
     */
    public int rowsPerBlock(long bytesPerRow, double share, int rows) {
        long fit = (long) (budgetBytes * share) / Math.max(1, bytesPerRow);
        return (int) Math.max(1, Math.min(rows, fit));
    }

    /** The one-line refusal for {@code what} needing {@code bytes}. */
    public MemoryBudgetException refusal(String what, long bytes) {
        String msg = String.format(Locale.ROOT,
                "%s needs about %s but the memory budget is %s (%s): raise --memory GB and the JVM heap "
                        + "(NTK_JAVA_OPTS=-Xmx%dg), or compute it on a cluster with --engine spark",
                what, gb(bytes), gb(budgetBytes), explicit ? "--memory" : "JVM heap less " + MARGIN_PERCENT + " %",
                Math.max(1, (long) Math.ceil(bytes / 1e9 / (1 - MARGIN_PERCENT / 100.0)) + 1));
        return new MemoryBudgetException(msg, bytes, budgetBytes);
    }

    /** Bytes of {@code count} float64 values, saturating instead of overflowing. */
    public static long float64Bytes(long... dims) {
        long n = 8;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension " + d);
            }
            if (d != 0 && n > Long.MAX_VALUE / d) {
                return Long.MAX_VALUE;
            }
            n *= d;
        }
        return n;
    }

    /** {@code bytes} for people: "12.8 GB", "310 MB". */
    public static String gb(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 9 EB";
        }
        if (bytes >= 1e9) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
        }
        return String.format(Locale.ROOT, "%d MB", Math.max(1, Math.round(bytes / 1e6)));
    }

    private static long heapBudget() {
        long max = Runtime.getRuntime().maxMemory();
        long margin = Math.max((long) MIN_MARGIN_MIB << 20, max / 100 * MARGIN_PERCENT);
        return Math.max(1, max - margin);
    }

    private static String trim(double gb) {
        return gb == Math.rint(gb) ? Long.toString((long) gb) : Double.toString(gb);
    }

    @Override
    public String toString() {
        return "MemoryPlanner[" + gb(budgetBytes) + (explicit ? ", --memory" : ", heap") + "]";
    }
}
