package org.ntkworkbench.io;

import java.util.Arrays;
import org.ntkworkbench.tensor.Tensor;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Jackson support for {@link Tensor} as {@code {"shape": [2, 3], "data": [..6 values in C order..]}}, so
 * small arrays can sit inside JSON documents such as manifests.
 */
public final class TensorJson {
    private TensorJson() {
    }

    /** A Jackson module with the Tensor serializer and deserializer. */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("ntk-tensor");
        module.addSerializer(Tensor.class, new ValueSerializer<Tensor>() {
            @Override
            public void serialize(Tensor t, JsonGenerator g, SerializationContext ctxt) throws JacksonException {
                int[] shape = t.shape();
                g.writeStartObject();
                g.writeName("shape");
                g.writeArray(shape, 0, shape.length);
                g.writeName("data");
                g.writeArray(t.data(), 0, t.size());
                g.writeEndObject();
            }
        });
        module.addDeserializer(Tensor.class, new ValueDeserializer<Tensor>() {
            @Override
            public Tensor deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
                JsonNode node = ctxt.readTree(p);
                JsonNode shapeNode = node.get("shape");
                JsonNode dataNode = node.get("data");
                if (shapeNode == null || !shapeNode.isArray() || dataNode == null || !dataNode.isArray()) {
                    return ctxt.reportInputMismatch(Tensor.class, "a tensor needs array fields 'shape' and 'data'");
                }
                int[] shape = new int[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    JsonNode d = shapeNode.get(i);
                    if (!d.canConvertToInt() || !d.isIntegralNumber() || d.intValue() < 0) {
                        return ctxt.reportInputMismatch(Tensor.class, "shape entry " + d + " is not a non-negative integer");
                    }
                    shape[i] = d.intValue();
                }
                double[] data = new double[dataNode.size()];
                for (int i = 0; i < data.length; i++) {
                    JsonNode v = dataNode.get(i);
                    if (v.isNumber()) {
                        data[i] = v.doubleValue();
                    } else if (v.isString() && v.stringValue().matches("NaN|-?Infinity")) {
                        data[i] = Double.parseDouble(v.stringValue());
                    } else {
                        return ctxt.reportInputMismatch(Tensor.class, "data entry " + i + " is not a number: " + v);
                    }
                }
                long size = 1;
                for (int d : shape) {
                    size *= d;
                }
                if (size != data.length) {
                    return ctxt.reportInputMismatch(Tensor.class, "shape " + Arrays.toString(shape) + " needs " + size
                            + " values but data has " + data.length);
                }
                return Tensor.of(data, shape);
            }
        });
        return module;
    }
}
