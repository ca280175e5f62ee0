package org.ntkworkbench.plugins.pinet;

import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.WordInfo;

/** {@code ccpKernel(degree: N)}: the CCP net's infinite-width kernels as functions of ⟨x, x'⟩. */
final class CcpKernelWord implements DslWord {
    static final WordInfo INFO = new WordInfo("ccpKernel", "ccpKernel(degree: N)",
            "Infinite-width NNGP and NTK of the CCP polynomial net on the sphere, as functions of <x, x'> (Wu et al. 2022).");

    @Override
    public Object call(DslArgs a) {
        a.allowOnly("degree");
        try {
            return new CcpKernel(a.intNamed("degree"));
        } catch (IllegalArgumentException e) {
            throw new DslException(e.getMessage());
        }
    }
}
