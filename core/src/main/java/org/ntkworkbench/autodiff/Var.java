package org.ntkworkbench.autodiff;

import java.util.Arrays;
import org.ntkworkbench.tensor.Tensor;

/**
 * A node of a differentiable computation: a value, an optional forward-mode tangent, and the
 * parents it was computed from together with one pullback (vector–Jacobian product) per parent.
 *
 * <p>Reverse mode: the graph is recorded as operations run ({@link Ops}); {@link Backprop#vjp}
 * walks it backwards from an output. Forward mode: when some leaves carry tangents, every
 * operation also computes the Jacobian–vector product of its output eagerly, so
 * {@code output.tangent() = J · (leaf tangents)} without ever forming {@code J} (see {@link Jvp}).
 * Vars are immutable; a graph may be pulled back any number of times with different cotangents.
 */
public final class Var {
    /** The vector–Jacobian product of one operation with respect to one of its parents. */
    @FunctionalInterface
    public interface Pullback {
        /** Maps the cotangent of the operation's output to the cotangent of the parent. */
        Tensor apply(Tensor outputCotangent);
    }

    private static final Var[] NO_PARENTS = new Var[0];
    private static final Pullback[] NO_PULLBACKS = new Pullback[0];

    private final Tensor value;
    private final Tensor tangent;
    private final String op;
    final Var[] parents;
    final Pullback[] pullbacks;

    Var(String op, Tensor value, Tensor tangent, Var[] parents, Pullback[] pullbacks) {
        if (tangent != null && !tangent.sameShape(value)) {
            throw new IllegalArgumentException(op + ": tangent of shape " + tangent.shapeString()
                    + " for a value of shape " + value.shapeString());
        }
        this.op = op;
        this.value = value;
        this.tangent = tangent;
        this.parents = parents;
        this.pullbacks = pullbacks;
    }

    /** A leaf (input or parameter) without a tangent. Gradients can be taken with respect to it. */
    public static Var of(Tensor value) {
        return new Var("leaf", value, null, NO_PARENTS, NO_PULLBACKS);
    }

    /** A leaf carrying a forward-mode tangent of the same shape ({@code null} for none). */
    public static Var of(Tensor value, Tensor tangent) {
        return new Var("leaf", value, tangent, NO_PARENTS, NO_PULLBACKS);
    }

    /** The value computed by this node. */
    public Tensor value() {
        return value;
    }

    /** The forward-mode tangent {@code J·t} of this node, or {@code null} when no leaf upstream has one. */
    public Tensor tangent() {
        return tangent;
    }

    /** The operation that produced this node ({@code "leaf"} for leaves). */
    public String op() {
        return op;
    }

    /** A copy of the value's shape. */
    public int[] shape() {
        return value.shape();
    }

    /** Rank of the value. */
    public int rank() {
        return value.rank();
    }

    /** Dimension {@code axis} of the value (negative counts from the end). */
    public int dim(int axis) {
        return value.dim(axis);
    }

    /** True for nodes without parents. */
    public boolean isLeaf() {
        return parents.length == 0;
    }

    // Fluent wrappers over Ops.

    /** {@link Ops#add}. */
    public Var add(Var other) {
        return Ops.add(this, other);
    }

    /** {@link Ops#sub}. */
    public Var sub(Var other) {
        return Ops.sub(this, other);
    }

    /** {@link Ops#mul}. */
    public Var mul(Var other) {
        return Ops.mul(this, other);
    }

    /** {@link Ops#div}. */
    public Var div(Var other) {
        return Ops.div(this, other);
    }

    /** {@link Ops#scale}. */
    public Var scale(double c) {
        return Ops.scale(this, c);
    }

    /** {@link Ops#matmul}. */
    public Var matmul(Var other) {
        return Ops.matmul(this, other);
    }

    /** {@link Ops#reshape}. */
    public Var reshape(int... shape) {
        return Ops.reshape(this, shape);
    }

    /** {@link Ops#sum(Var, int[], boolean)} without kept axes. */
    public Var sum(int... axes) {
        return Ops.sum(this, axes, false);
    }

    /** {@link Ops#sumAll}. */
    public Var sumAll() {
        return Ops.sumAll(this);
    }

    @Override
    public String toString() {
        return "Var[" + op + ", " + Arrays.toString(value.shape()) + (tangent != null ? ", with tangent" : "") + "]";
    }
}
