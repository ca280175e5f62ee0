package org.ntkworkbench.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ntkworkbench.dsl.SpectrumWords;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.report.RunDirectory;
import org.ntkworkbench.runtime.Workbench;
import org.ntkworkbench.spectrum.Spectra;
import org.ntkworkbench.spectrum.SphereSpectrum;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ntk spectrum --model EXPR|FILE --dim d --degrees K [--get nngp] --out S.csv}. */
@Command(name = "spectrum", description = "Funk-Hecke eigenvalues of a model's kernel on the sphere S^{d-1}.")
final class SpectrumCommand implements Callable<Integer> {

    @ParentCommand
    NtkCommand root;

    @picocli.CommandLine.Mixin
    ModelOption model;

    @Option(names = "--dim", required = true, paramLabel = "d", description = "Input dimension: the sphere is S^{d-1}.")
    int dim;

    @Option(names = "--degrees", required = true, paramLabel = "K", description = "Eigenvalues mu_0 .. mu_K.")
    int degrees;

    @Option(names = "--get", paramLabel = "ntk|nngp", description = "Which kernel (default: ${DEFAULT-VALUE}).")
    String get = "ntk";

    @Option(names = "--out", required = true, paramLabel = "S.csv", description = "CSV with header degree,eigenvalue,multiplicity.")
    Path out;

    /** Upper bound of {@code --degrees}: a command that could run for hours on a typo is refused instead. */
    static final int MAX_DEGREES = 10_000;
    /** Upper bound of {@code --dim}. */
    static final int MAX_DIM = 100_000;

    @Override
    public Integer call() throws Exception {
        if (dim < 2) {
            throw new IllegalArgumentException("--dim must be at least 2, got " + dim);
        }
        if (degrees < 0 || degrees > MAX_DEGREES) {
            throw new IllegalArgumentException("--degrees must be between 0 and " + MAX_DEGREES + ", got " + degrees
                    + " (higher degrees are far below double precision for these kernels, and their cost grows with K)");
        }
        if (dim > MAX_DIM) {
            throw new IllegalArgumentException("--dim must be at most " + MAX_DIM + ", got " + dim);
        }
        Workbench wb = root.workbench(model.source(), false);
        Layer net = model.parse(wb);
        SphereSpectrum s = wb.service(Spectra.class).sphere(SpectrumWords.profile(net, dim, get), dim, degrees);
        double[] mus = new double[degrees + 1];
        for (int k = 0; k <= degrees; k++) {
            mus[k] = s.eigenvalue(k);
        }
        org.ntkworkbench.tensor.Finite.requireResult("eigenvalues mu_k (index = k)", org.ntkworkbench.tensor.Tensor.vector(mus));
        StringBuilder csv = new StringBuilder("degree,eigenvalue,multiplicity\n");
        for (int k = 0; k <= degrees; k++) {
            csv.append(k).append(',').append(String.format(Locale.ROOT, "%.17g", s.eigenvalue(k))).append(',')
                    .append(String.format(Locale.ROOT, "%.0f", s.multiplicities()[k])).append('\n');
        }
        java.nio.file.Files.createDirectories(out.toAbsolutePath().getParent());
        RunDirectory.writeAtomically(out, csv.toString());
        System.err.println("ntk spectrum: mu_0 .. mu_" + degrees + " of the " + get + " on S^" + (dim - 1) + " -> " + out);
        return 0;
    }
}
