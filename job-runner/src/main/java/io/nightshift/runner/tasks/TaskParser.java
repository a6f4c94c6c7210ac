package io.nightshift.runner.tasks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.nightshift.api.FieldError;
import io.nightshift.api.Task;
import io.nightshift.api.contract.RunnerEnvironment;
import java.util.List;
import java.util.stream.Collectors;

/** Reads the task JSON ({@code NIGHTSHIFT_TASK} or a task file) and checks it, naming the field of any problem. */
public final class TaskParser {

    /**
     * Strict: a key given twice, a fraction or a string where a whole number belongs, or a number where
     * text belongs, is an error naming the field, never silently read one way.
     */
    private static final ObjectMapper JSON = strict();

    private static ObjectMapper strict() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean, LogicalType.Textual)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, type == LogicalType.Textual ? CoercionAction.TryConvert
                    : CoercionAction.Fail).setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer || type == LogicalType.Float
                    ? CoercionAction.TryConvert : CoercionAction.Fail).setCoercion(CoercionInputShape.Float, type == LogicalType.Float
                    ? CoercionAction.TryConvert : CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean
                    ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
        return mapper;
    }

    private TaskParser() {
    }

    /** The checked task; a {@link ConfigurationException} lists every problem. */
    public static Task parse(String json) {
        if (json == null || json.isBlank()) {
            throw new ConfigurationException("task: no task given (set " + RunnerEnvironment.TASK + " or use --task-file)");
        }
        Task task;
        try {
            task = JSON.readValue(json, Task.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigurationException(path(e) + ": unknown field (known fields: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (JsonMappingException e) {
            String problem = e.getOriginalMessage().split("\n")[0];
            throw new ConfigurationException(path(e) + ": " + (problem.startsWith("Duplicate field ")
                    ? "the field " + problem.substring("Duplicate field ".length()) + " is given twice" : problem));
        } catch (JsonProcessingException e) {
            throw new ConfigurationException("task: not valid JSON: " + e.getOriginalMessage());
        }
        if (task == null) {
            throw new ConfigurationException("task: no task given");
        }
        List<FieldError> errors = task.validate("task");
        if (!errors.isEmpty()) {
            throw new ConfigurationException(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        }
        return task;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder("task");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
