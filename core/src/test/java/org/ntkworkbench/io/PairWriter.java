package org.ntkworkbench.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.report.Provenance;
import org.ntkworkbench.report.RunDirectory;
import org.ntkworkbench.tensor.Tensor;

/**
 * A second process for {@code OutputUnitSpec}: writes {@code K<i>.npz} and its {@code K<i>.manifest.json} for
 * i = 0..rounds-1 exactly as {@code ntk kernel --out} does (a CLI session, the NPZ through {@link Npz#write}, then the
 * run's manifest beside it), each NPZ holding this writer's tag, the manifest naming it. Before each round it waits
 * at a file barrier for the other writer, so the two really write the same file at the same moment.
 * Arguments: dir, rounds, tag (1 or 2), other tag, and {@code nounit} to write without the session (the old behaviour).
 */
public final class PairWriter {
    private PairWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int tag = Integer.parseInt(args[2]);
        int other = Integer.parseInt(args[3]);
        boolean unit = !(args.length > 4 && args[4].equals("nounit"));
        for (int i = 0; i < rounds; i++) {
            Files.createFile(dir.resolve("go-" + tag + "-" + i));
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!Files.exists(dir.resolve("go-" + other + "-" + i))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the other writer did not reach round " + i);
                }
                Thread.onSpinWait();
            }
            Path out = dir.resolve("K" + i + ".npz");
            Provenance.Session session = unit ? Provenance.Session.open(List.of("kernel", "--out", out.toString())) : null;
            try {
                double[] v = new double[20_000 + 1000 * tag];
                java.util.Arrays.fill(v, tag);
                Npz.write(out, Map.of("ntk", Tensor.of(v, v.length), "writer", Tensor.scalar(tag)), false);
                new RunDirectory("kernel", dir, "ntk kernel", "", Map.of("writer", tag), List.of()).forFile(out)
                        .writeManifest("ok", null);
            } finally {
                if (session != null) {
                    session.close();
                }
            }
        }
    }
}
