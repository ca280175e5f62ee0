package org.ntkworkbench.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.ntkworkbench.model.KernelService;

/**
 * Chooses the {@link KernelEngine} for {@code --engine NAME}: {@code local} is built in; other
 * engines come from plugins that list a {@link Provider} in
 * {@code META-INF/services/org.ntkworkbench.fit.KernelEngines$Provider}.
 */
public final class KernelEngines {
    private KernelEngines() {}

    /** A named engine contributed by a plugin. */
    public interface Provider {
        /** The {@code --engine} name. */
        String name();

        /** A new engine; {@code options} holds the command's engine options (e.g. {@code master}). */
        KernelEngine create(KernelService kernels, Map<String, String> options);
    }

    /** The engine called {@code name}; an {@link IllegalArgumentException} listing the known ones otherwise. */
    public static KernelEngine byName(String name, KernelService kernels, Map<String, String> options) {
        if (name == null || name.equals("local")) {
            if (options.get("master") != null) {
                throw new IllegalArgumentException("--master needs --engine spark");
            }
            return new LocalKernelEngine(kernels);
        }
        List<String> known = new ArrayList<>(List.of("local"));
        for (Provider p : ServiceLoader.load(Provider.class, KernelEngines.class.getClassLoader())) {
            if (p.name().equals(name)) {
                return p.create(kernels, options);
            }
            known.add(p.name());
        }
        throw new IllegalArgumentException("--engine " + name + ": no such engine (available: " + String.join(", ", known)
                + (name.equals("spark") ? "; the spark engine comes with the spark plugin" : "") + ")");
    }
}
