package org.ntkworkbench.dsl;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;

/**
 * Base class of every experiment script (set through {@code CompilerConfiguration.scriptBaseClass}).
 * Exposes the DSL words of core and plugins as methods, the injected services as variables
 * ({@code kernels}, {@code plots}, ...) and the {@code -P} parameters as {@code params} and as variables.
 */
public abstract class NtkScript extends Script {
    /** Binding variable holding the {@link DslContext}. */
    public static final String WORKBENCH = "workbench";
    /** Binding variable holding the typed {@code -P} parameters. */
    public static final String PARAMS = "params";

    protected NtkScript() {}

    protected NtkScript(Binding binding) {
        super(binding);
    }

    /** {@code System.exit(code)} in a script, rewritten by the script runner: ends the run through DESIGN.md's exit codes. */
    public static final class ScriptExit extends Error {
        private final int code;

        public ScriptExit(int code) {
            super("the script called System.exit(" + code + ")", null, false, true);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** What a script's {@code System.exit(code)} calls instead (see {@link ScriptExit}). */
    public static void ntkExit(int code) {
        throw new ScriptExit(code);
    }

    private DslContext workbench() {
        return (DslContext) getBinding().getVariable(WORKBENCH);
    }

    /** Dispatches an undeclared method call to the DSL word of that name. */
    public Object methodMissing(String name, Object args) {
        Object[] argv = args instanceof Object[] a ? a : new Object[] {args};
        DslWord word = workbench().words().get(name);
        if (word != null) {
            return word.call(DslArgs.fromGroovy(name, argv));
        }
        if (getBinding().hasVariable(name) && getBinding().getVariable(name) instanceof Closure<?> c) {
            return c.call(argv);
        }
        throw new DslException("unknown DSL word '" + name + "'" + suggestion(name, workbench().words().keySet()));
    }

    /**
     * The {@code identity()} layer word. Declared here because Groovy would otherwise bind a bare
     * {@code identity()} to its own {@code Object.identity(Closure)} with a null closure.
     */
    public Object identity() {
        return methodMissing("identity", new Object[0]);
    }

    /**
     * A parameter given as {@code -Pname=value}, converted to the type of {@code dflt}; {@code dflt} when
     * not given.
     */
    @SuppressWarnings("unchecked")
    public Object param(String name, Object dflt) {
        Map<String, Object> params = (Map<String, Object>) getBinding().getVariable(PARAMS);
        if (!params.containsKey(name)) {
            return dflt;
        }
        return Parameters.convert(name, params.get(name), dflt);
    }

    @Override
    public Object getProperty(String property) {
        try {
            return super.getProperty(property);
        } catch (MissingPropertyException e) {
            if (property.equals(e.getProperty())) {
                throw new DslException("unknown name '" + property + "'" + suggestion(property, workbench().words().keySet())
                        + (workbench().words().containsKey(property) ? " (call it: " + property + "(...))" : ""));
            }
            throw e;
        }
    }

    /** " (did you mean 'x'?)" for the closest known word within edit distance 2, else "". */
    static String suggestion(String name, Collection<String> known) {
        Optional<String> best = known.stream()
                .filter(k -> !k.equals(name))
                .min(Comparator.comparingInt(k -> distance(name.toLowerCase(), k.toLowerCase())));
        return best.filter(b -> distance(name.toLowerCase(), b.toLowerCase()) <= 2)
                .map(b -> " (did you mean '" + b + "'?)").orElse("");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
