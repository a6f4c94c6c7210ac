package io.nightshift.runner.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.nightshift.api.FieldError;
import io.nightshift.api.Task;
import java.util.List;
import java.util.stream.Collectors;

/** Reads the task JSON ({@code NIGHTSHIFT_TASK} or a task file) and checks it, naming the field of any problem. */
public final class TaskParser {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private TaskParser() {
    }

    /** The checked task; a {@link ConfigurationException} lists every problem. */
    public static Task parse(String json) {
        if (json == null || json.isBlank()) {
            throw new ConfigurationException("task: no task given (set NIGHTSHIFT_TASK or use --task-file)");
        }
        Task task;
        try {
            task = JSON.readValue(json, Task.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigurationException(path(e) + ": unknown field (known fields: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (JsonMappingException e) {
            throw new ConfigurationException(path(e) + ": " + e.getOriginalMessage().split("\n")[0]);
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
