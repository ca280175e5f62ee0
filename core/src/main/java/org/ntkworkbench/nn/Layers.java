package org.ntkworkbench.nn;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Static factories named like the DSL words (DESIGN.md), with DESIGN.md's defaults
 * ({@code wStd = 1}, {@code bStd = 0}, NTK parameterization, strides 1, VALID padding).
 * {@code import static org.ntkworkbench.nn.Layers.*} gives Java code the DSL's vocabulary.
 */
public final class Layers {
    private Layers() {}

    // ------------------------------------------------------------------ combinators

    /** {@code serial(a, b, …)}: composition in order. */
    public static Serial serial(Layer... layers) {
        return new Serial(Arrays.asList(layers));
    }

    /** {@code serial} of a list. */
    public static Serial serial(List<? extends Layer> layers) {
        return new Serial(List.copyOf(layers));
    }

    /** {@code parallel(a, b, …)}: branch i on flow item i. */
    public static Parallel parallel(Layer... branches) {
        return new Parallel(Arrays.asList(branches));
    }

    /** {@code parallel} of a list. */
    public static Parallel parallel(List<? extends Layer> branches) {
        return new Parallel(List.copyOf(branches));
    }

    /** {@code fanOut(n)}: n copies of the input. */
    public static FanOut fanOut(int n) {
        return new FanOut(n);
    }

    /** {@code fanInSum()}. */
    public static FanInSum fanInSum() {
        return new FanInSum();
    }

    /** {@code fanInProd()}. */
    public static FanInProd fanInProd() {
        return new FanInProd();
    }

    /** {@code fanInConcat(axis: -1)}. */
    public static FanInConcat fanInConcat() {
        return new FanInConcat(-1);
    }

    /** {@code fanInConcat(axis: axis)}. */
    public static FanInConcat fanInConcat(int axis) {
        return new FanInConcat(axis);
    }

    /** {@code repeat(layer, n)}. */
    public static Repeat repeat(Layer layer, int n) {
        return new Repeat(layer, n);
    }

    // ------------------------------------------------------------------ layers

    /** {@code dense(width)} with wStd 1, no bias, NTK parameterization. */
    public static Dense dense(int width) {
        return new Dense(width, 1.0, 0.0, Parameterization.NTK);
    }

    /** {@code dense(width, wStd:, bStd:)} in NTK parameterization. */
    public static Dense dense(int width, double wStd, double bStd) {
        return new Dense(width, wStd, bStd, Parameterization.NTK);
    }

    /** {@code dense(width, wStd:, bStd:, parameterization:)}. */
    public static Dense dense(int width, double wStd, double bStd, Parameterization parameterization) {
        return new Dense(width, wStd, bStd, parameterization);
    }

    /** {@code conv(channels, filter: f)}: stride 1, VALID, wStd 1, no bias. */
    public static Conv conv(int channels, int... filter) {
        return new Conv(channels, filter, null, Padding.VALID, 1.0, 0.0, Parameterization.NTK);
    }

    /** {@code conv(channels, filter:, strides:, padding:, wStd:, bStd:)} in NTK parameterization. */
    public static Conv conv(int channels, int[] filter, int[] strides, Padding padding, double wStd, double bStd) {
        return new Conv(channels, filter, strides, padding, wStd, bStd, Parameterization.NTK);
    }

    /** {@code conv(…, parameterization:)}. */
    public static Conv conv(int channels, int[] filter, int[] strides, Padding padding, double wStd, double bStd,
                            Parameterization parameterization) {
        return new Conv(channels, filter, strides, padding, wStd, bStd, parameterization);
    }

    /** {@code avgPool(window)}: stride 1, VALID. */
    public static AvgPool avgPool(int... window) {
        return new AvgPool(window, null, Padding.VALID);
    }

    /** {@code avgPool(window, strides:, padding:)}. */
    public static AvgPool avgPool(int[] window, int[] strides, Padding padding) {
        return new AvgPool(window, strides, padding);
    }

    /** {@code sumPool(window)}: stride 1, VALID. */
    public static SumPool sumPool(int... window) {
        return new SumPool(window, null, Padding.VALID);
    }

    /** {@code sumPool(window, strides:, padding:)}. */
    public static SumPool sumPool(int[] window, int[] strides, Padding padding) {
        return new SumPool(window, strides, padding);
    }

    /** {@code globalAvgPool()}. */
    public static GlobalAvgPool globalAvgPool() {
        return new GlobalAvgPool();
    }

    /** {@code globalSumPool()}. */
    public static GlobalSumPool globalSumPool() {
        return new GlobalSumPool();
    }

    /** {@code flatten()}. */
    public static Flatten flatten() {
        return new Flatten();
    }

    /** {@code layerNorm()}. */
    public static LayerNorm layerNorm() {
        return new LayerNorm();
    }

    /** {@code dropout(rate)}. */
    public static Dropout dropout(double rate) {
        return new Dropout(rate);
    }

    /** {@code identity()}. */
    public static Identity identity() {
        return new Identity();
    }

    // ------------------------------------------------------------------ activations

    public static Relu relu() {
        return new Relu();
    }

    public static LeakyRelu leakyRelu(double alpha) {
        return new LeakyRelu(alpha);
    }

    public static Abs abs() {
        return new Abs();
    }

    public static Erf erf() {
        return new Erf();
    }

    public static Gelu gelu() {
        return new Gelu();
    }

    public static Sin sin() {
        return new Sin();
    }

    public static Cos cos() {
        return new Cos();
    }

    public static Rbf rbf(double gamma) {
        return new Rbf(gamma);
    }

    public static Sign sign() {
        return new Sign();
    }

    public static Monomial monomial(int degree) {
        return new Monomial(degree);
    }

    public static RectifiedMonomial rectifiedMonomial(int degree) {
        return new RectifiedMonomial(degree);
    }

    public static Tanh tanh() {
        return new Tanh();
    }

    public static Sigmoid sigmoid() {
        return new Sigmoid();
    }

    /** {@code elementwise { x -> … }}: derivative by central finite differences. */
    public static Elementwise elementwise(DoubleUnaryOperator f) {
        return new Elementwise(f, null);
    }

    /** {@code elementwise} with an exact derivative. */
    public static Elementwise elementwise(DoubleUnaryOperator f, DoubleUnaryOperator derivative) {
        return new Elementwise(f, derivative);
    }
}
