package org.ntkworkbench.train;

import java.util.List;
import org.ntkworkbench.spectrum.HarmonicProjection;
import org.ntkworkbench.spi.NetworkTraining;

/**
 * Residual-component curves of a finite network during training next to the linearised (NTK) prediction
 * of the same components ({@link ResidualTraining}).
 *
 * @param names               component names ({@link ResidualComponents#names()})
 * @param steps               observed steps, ascending (0 first)
 * @param finite              {@code [component][observation]} magnitudes for the trained network
 * @param linearised          the same for the linearised prediction, or {@code null} if no NTK was given
 * @param finiteResiduals     {@code [observation][point]} residuals of the network, or {@code null} if not kept
 * @param linearisedResiduals the same for the prediction, or {@code null}
 * @param targets             the targets y the residuals are measured against
 * @param training            the run (parameters, loss curve)
 */
public record ResidualCurves(List<String> names, double[] steps, double[][] finite, double[][] linearised,
                             double[][] finiteResiduals, double[][] linearisedResiduals, double[] targets,
                             TrainingResult training) implements NetworkTraining.ResidualRun {

    public ResidualCurves {
        names = List.copyOf(names);
    }

    /** Index of component {@code name}. */
    public int index(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no residual component '" + name + "' (have " + names + ")");
        }
        return i;
    }

    /** The network's curve of component {@code name}. */
    public double[] finite(String name) {
        return finite[index(name)].clone();
    }

    /** The linearised prediction's curve of component {@code name}. */
    public double[] linearised(String name) {
        requireLinearised();
        return linearised[index(name)].clone();
    }

    /** First step (log-interpolated between observations) at which the network's component falls to {@code fraction} of its start; NaN if never. */
    public double stepsToFraction(String name, double fraction) {
        return HarmonicProjection.stepsToFraction(steps, finite[index(name)], fraction);
    }

    /** {@link #stepsToFraction} of the linearised prediction. */
    public double linearisedStepsToFraction(String name, double fraction) {
        requireLinearised();
        return HarmonicProjection.stepsToFraction(steps, linearised[index(name)], fraction);
    }

    /** max_t |finite(t) − linearised(t)| / linearised(0) of component {@code name}. */
    public double maxRelativeDeviation(String name) {
        requireLinearised();
        int c = index(name);
        double m = 0;
        for (int t = 0; t < steps.length; t++) {
            m = Math.max(m, Math.abs(finite[c][t] - linearised[c][t]));
        }
        return m / linearised[c][0];
    }

    /** Per-point convergence steps of the network ({@link ConvergenceTimes#perPoint}); needs kept residuals. */
    public double[] convergenceSteps(double threshold, double floor) {
        if (finiteResiduals == null) {
            throw new IllegalStateException("residuals were not kept; record with keepResiduals = true");
        }
        return ConvergenceTimes.perPoint(steps, finiteResiduals, targets, threshold, floor);
    }

    /** Per-point convergence steps of the linearised prediction. */
    public double[] linearisedConvergenceSteps(double threshold, double floor) {
        if (linearisedResiduals == null) {
            throw new IllegalStateException("no linearised residuals: give an NTK and keepResiduals = true");
        }
        return ConvergenceTimes.perPoint(steps, linearisedResiduals, targets, threshold, floor);
    }

    private void requireLinearised() {
        if (linearised == null) {
            throw new IllegalStateException("no linearised prediction: the run was given no NTK");
        }
    }
}
