package org.ntkworkbench.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ntkworkbench.dsl.ModelExpressions;
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

    @Option(names = "--model", required = true, paramLabel = "EXPR|FILE", description = "DSL model expression or Groovy file.")
    String model;

    @Option(names = "--dim", required = true, paramLabel = "d", description = "Input dimension: the sphere is S^{d-1}.")
    int dim;

    @Option(names = "--degrees", required = true, paramLabel = "K", description = "Eigenvalues mu_0 .. mu_K.")
    int degrees;

    @Option(names = "--get", paramLabel = "ntk|nngp", description = "Which kernel (default: ${DEFAULT-VALUE}).")
    String get = "ntk";

    @Option(names = "--out", required = true, paramLabel = "S.csv", description = "CSV with header degree,eigenvalue,multiplicity.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (dim < 2) {
            throw new IllegalArgumentException("--dim must be at least 2, got " + dim);
        }
        if (degrees < 0) {
            throw new IllegalArgumentException("--degrees must be >= 0, got " + degrees);
        }
        Workbench wb = root.workbench();
        Layer net = ModelExpressions.parse(wb, model);
        SphereSpectrum s = wb.service(Spectra.class).sphere(SpectrumWords.profile(net, dim, get), dim, degrees);
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
