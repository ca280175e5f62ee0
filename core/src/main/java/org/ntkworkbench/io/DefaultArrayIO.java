package org.ntkworkbench.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.tensor.Tensor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The standard {@link ArrayIO}: our own NPY/NPZ/CSV code and Jackson 3 for JSON. Stateless and thread-safe. */
public class DefaultArrayIO implements ArrayIO {
    /** Built on first use (Jackson's set-up costs a tenth of a second; reading arrays never needs it). */
    private static final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .addModule(TensorJson.module())
                .build();
    }

    @Override
    public Tensor readNpy(Path file) throws IOException {
        return NpyReader.read(file);
    }

    @Override
    public void writeNpy(Path file, Tensor tensor) throws IOException {
        NpyWriter.write(file, tensor);
    }

    @Override
    public LinkedHashMap<String, Tensor> readNpz(Path file) throws IOException {
        return Npz.read(file);
    }

    @Override
    public Tensor readNpz(Path file, String name) throws IOException {
        return Npz.read(file, name);
    }

    @Override
    public void writeNpz(Path file, Map<String, Tensor> arrays) throws IOException {
        Npz.write(file, arrays);
    }

    @Override
    public Tensor readArray(String spec) throws IOException {
        int colon = spec.lastIndexOf(':');
        int dotNpz = spec.toLowerCase().lastIndexOf(".npz:");
        if (dotNpz >= 0 && colon == dotNpz + 4) {
            return Npz.read(Path.of(spec.substring(0, colon)), spec.substring(colon + 1));
        }
        Path file = Path.of(spec);
        if (spec.toLowerCase().endsWith(".npz")) {
            List<String> names = Npz.names(file);
            if (names.size() != 1) {
                throw new ArrayFileException(file, "holds " + names.size() + " arrays " + names
                        + "; name one as " + spec + ":NAME");
            }
            return Npz.read(file, names.get(0));
        }
        return NpyReader.read(file);
    }

    @Override
    public MappedNpyWriter createMappedNpy(Path file, int... shape) throws IOException {
        return NpyWriter.createMapped(file, shape);
    }

    @Override
    public MappedNpy mapNpy(Path file) throws IOException {
        return NpyReader.map(file);
    }

    @Override
    public NumericTable readCsv(Path file) throws IOException {
        return Csv.read(file);
    }

    @Override
    public void writeCsv(Path file, NumericTable table) throws IOException {
        Csv.write(file, table);
    }

    @Override
    public JsonNode readJson(Path file) throws IOException {
        NpyReader.checkReadable(file);
        try {
            return Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (JacksonException e) {
            throw jsonError(file, e);
        }
    }

    @Override
    public <T> T readJson(Path file, Class<T> type) throws IOException {
        NpyReader.checkReadable(file);
        try {
            return Json.MAPPER.readValue(Files.readAllBytes(file), type);
        } catch (JacksonException e) {
            throw jsonError(file, e);
        }
    }

    @Override
    public void writeJson(Path file, Object value) throws IOException {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new ArrayFileException(file, "cannot write " + (value == null ? "null" : value.getClass().getSimpleName())
                    + " as JSON: " + firstLine(e.getOriginalMessage()), e);
        }
        AtomicFiles.write(file, out -> {
            out.write(bytes);
            out.write('\n');
        });
    }

    @Override
    public ObjectMapper json() {
        return Json.MAPPER;
    }

    private static ArrayFileException jsonError(Path file, JacksonException e) {
        String where = e.getLocation() != null && e.getLocation().getLineNr() > 0
                ? ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr() : "";
        return new ArrayFileException(file + where, "invalid JSON: " + firstLine(e.getOriginalMessage()), e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
