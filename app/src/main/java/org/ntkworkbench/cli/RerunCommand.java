package org.ntkworkbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ntkworkbench.report.Provenance;
import org.ntkworkbench.report.Reproduction;
import org.ntkworkbench.spi.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntk rerun runs/X/manifest.json [--out DIR]}: re-runs a run from its manifest into a new run directory and
 * compares. First the recorded inputs (the script and every file the run read) are checked against their SHA-256
 * (exit 2 in one line when one changed or is missing); then the recorded command line runs again with its outputs
 * under {@code DIR} (default: beside the recorded run; nothing existing is overwritten); then the new results and
 * output files are compared with the recorded ones bit for bit: exit 0 when equal, 1 with the differences listed.
 */
@Command(name = "rerun", description = "Re-run a run from its manifest (inputs checked by SHA-256) into a new run directory and compare its results bit for bit.")
final class RerunCommand implements Callable<Integer> {

    @ParentCommand
    NtkCommand root;

    @Parameters(index = "0", paramLabel = "MANIFEST", description = "runs/X/manifest.json (or the run directory; K.manifest.json for ntk kernel).")
    Path manifest;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the new run directory goes (default: beside the recorded run).")
    Path out;

    @Override
    public Integer call() {
        Reproduction rec;
        Reproduction.Plan plan;
        try {
            rec = Reproduction.read(manifest);
            String problem = rec.inputProblem();
            if (problem != null) {
                System.err.println("ntk rerun: " + problem);
                return ExitCodes.BAD_INPUT;
            }
            plan = rec.plan(out);
        } catch (IllegalArgumentException e) {
            System.err.println("ntk rerun: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        System.err.println("ntk rerun: " + rec.inputCount() + " input" + (rec.inputCount() == 1 ? "" : "s")
                + " unchanged (sha256); running: ntk " + String.join(" ", plan.argv().stream().map(RerunCommand::quote).toList()));
        plan.notes().forEach(n -> System.err.println("ntk rerun: note: " + n));
        Provenance.Session session = Provenance.Session.current();
        if (session != null) {
            session.nextIsRerunOf(rec.manifest());
        }
        int code = Main.execute(plan.argv().toArray(String[]::new));
        Path newManifest = plan.newManifest() != null ? plan.newManifest() : session == null ? null : session.lastManifest();
        if (code != ExitCodes.OK) {
            System.err.println("ntk rerun: the re-run of " + rec.manifest() + " failed (exit " + code + ")");
            return code;
        }
        if (newManifest == null || !newManifest.toFile().isFile()) {
            System.err.println("ntk rerun: the re-run wrote no manifest" + (newManifest == null ? "" : " at " + newManifest));
            return ExitCodes.COMPUTATION_FAILED;
        }
        Reproduction.Comparison c = rec.compare(newManifest);
        c.notes().forEach(n -> System.out.println("note: " + n));
        if (c.identical()) {
            System.out.println("reproduced bit for bit: " + c.results() + " result" + (c.results() == 1 ? "" : "s") + " and " + c.files()
                    + " output file" + (c.files() == 1 ? "" : "s") + " (sha256) equal to " + rec.manifest() + "; new run: " + newManifest);
            return ExitCodes.OK;
        }
        System.out.println("NOT reproduced: " + c.differences().size() + " difference" + (c.differences().size() == 1 ? "" : "s")
                + " from " + rec.manifest() + ":");
        c.differences().forEach(d -> System.out.println("  " + d));
        System.out.println("new run: " + newManifest);
        System.err.println("ntk rerun: results differ from the recorded run (" + c.differences().size() + " difference"
                + (c.differences().size() == 1 ? "" : "s") + ", listed on stdout)");
        return ExitCodes.COMPUTATION_FAILED;
    }

    private static String quote(String a) {
        return a.matches("[A-Za-z0-9_./:=,+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'";
    }
}
