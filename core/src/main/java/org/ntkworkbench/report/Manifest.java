package org.ntkworkbench.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The provenance record of a run, written as {@code manifest.json} (DESIGN.md): what ran, with which
 * parameters, seeds and versions, how long it took, how it ended, and its named scalar results.
 *
 * @param script     the script path as given
 * @param scriptSha256 hash of the script text, so a manifest identifies exactly what ran
 * @param parameters the {@code -P} parameters, typed
 * @param seeds      every seed a word drew with, by what it seeded
 * @param plugins    {@code name version} of each loaded plugin
 * @param timings    seconds per named stage, plus {@code total}
 * @param status     {@code running}, {@code ok}, {@code failed} or {@code interrupted} (SIGTERM, System.exit, or a
 *                   {@code running} run whose process is gone, as the next reader reports it)
 * @param error      the one-line error of a failed run, else null
 * @param results    named scalar results, e.g. {@code decay_slope}
 * @param resultInfo description and unit of the results that have one (JSON {@code result_info})
 * @param files      files the run wrote, relative to the run directory
 * @param pid        the process that wrote the manifest (to tell a live run from a killed one)
 * @param provenance the command line, script text, input and output hashes and environment, for {@code ntk rerun}
 *                   (an addition to DESIGN.md's fields; readers that do not know it ignore it)
 */
public record Manifest(String name, String script, String scriptSha256, Map<String, Object> parameters,
                       Map<String, Long> seeds, Versions versions, List<String> plugins, String started,
                       Map<String, Double> timings, String status, String error, Map<String, Object> results,
                       @JsonProperty("result_info") Map<String, RunContext.ResultInfo> resultInfo,
                       List<String> files, long pid, Provenance provenance) {}
