package org.ntkworkbench.dsl;

import groovy.lang.Closure;
import org.ntkworkbench.nn.Identity;
import org.ntkworkbench.nn.Layers;

/**
 * Groovy extension methods that keep DSL words working inside closures. A call {@code identity()} in a
 * closure is looked up on the closure object first, where Groovy's own {@code Object.identity(Closure)}
 * matches with a null argument and fails; this zero-argument overload is more specific and returns the
 * {@code identity()} layer, as the word does at the top level of a script.
 */
public final class DslClosureExtensions {
    private DslClosureExtensions() {}

    /** The {@code identity()} layer. */
    public static Identity identity(Closure<?> self) {
        return Layers.identity();
    }
}
