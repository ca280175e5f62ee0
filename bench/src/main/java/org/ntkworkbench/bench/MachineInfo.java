package org.ntkworkbench.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The machine a benchmark ran on: logical cores, JVM, OS, the maximum heap, and the BLAS backend
 * (Smile's {@code smile.linalg.backend}, and OpenBLAS's own build configuration, core type and thread
 * count as reported by {@code openblas_get_config}, {@code openblas_get_corename},
 * {@code openblas_get_num_threads}; {@code "unavailable: …"} when the library cannot be reached).
 */
public record MachineInfo(int cores, String jvm, String os, long maxHeapBytes, String blasBackend,
                          String openblasConfig, String openblasCore, int openblasThreads) {

    /** Information about the running JVM and process. */
    public static MachineInfo current() {
        Runtime rt = Runtime.getRuntime();
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")";
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
        String backend = System.getProperty("smile.linalg.backend", "auto");
        String config;
        String core;
        int threads;
        try {
            // The library Smile already loaded; dlopen by name returns the same handle.
            SymbolLookup lib = SymbolLookup.libraryLookup("libopenblas.so", Arena.global());
            Linker linker = Linker.nativeLinker();
            config = string(linker, lib, "openblas_get_config");
            core = string(linker, lib, "openblas_get_corename");
            MethodHandle nt = linker.downcallHandle(lib.find("openblas_get_num_threads").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT));
            threads = (int) nt.invokeExact();
        } catch (Throwable e) {
            config = "unavailable: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
            core = "unavailable";
            threads = -1;
        }
        return new MachineInfo(rt.availableProcessors(), jvm, os, rt.maxMemory(), backend, config, core, threads);
    }

    private static String string(Linker linker, SymbolLookup lib, String function) throws Throwable {
        MethodHandle h = linker.downcallHandle(lib.find(function).orElseThrow(), FunctionDescriptor.of(ADDRESS));
        MemorySegment s = (MemorySegment) h.invokeExact();
        return s.reinterpret(4096).getString(0).trim();
    }
}
