package io.twinworks.core.config;

import org.jspecify.annotations.Nullable;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Copies of configuration records with some components changed, through the record's canonical
 * constructor (so its checks run again). One implementation for every service config's {@code with*}
 * methods instead of each one listing all components again, which went stale with every new key.
 *
 * <pre>{@code
 * public SimConfig withHttpPort(int port) {
 *     return RecordCopy.with(this, "httpPort", port);
 * }
 * }</pre>
 */
public final class RecordCopy {

    private RecordCopy() {
    }

    /** A copy of {@code record} with one component replaced. */
    public static <R extends Record> R with(R record, String component, @Nullable Object value) {
        Map<String, @Nullable Object> changes = new HashMap<>();
        changes.put(component, value); // a null value is the record constructor's to accept or refuse
        return with(record, changes);
    }

    /**
     * A copy of {@code record} with the named components replaced.
     *
     * @throws IllegalArgumentException when a name is not a component of the record or a value has the wrong type
     *                                  (a programming error), or the record's constructor refuses the values
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R with(R record, Map<String, ? extends @Nullable Object> changes) {
        Objects.requireNonNull(record, "record");
        Class<?> type = record.getClass();
        RecordComponent[] components = type.getRecordComponents();
        @Nullable Object[] values = new Object[components.length];
        Class<?>[] parameterTypes = new Class<?>[components.length];
        int used = 0;
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            parameterTypes[i] = component.getType();
            if (changes.containsKey(component.getName())) {
                Object value = changes.get(component.getName());
                if (value == null ? component.getType().isPrimitive() : !wrap(component.getType()).isInstance(value)) {
                    throw new IllegalArgumentException(type.getSimpleName() + "." + component.getName() + " is a "
                            + component.getType().getSimpleName() + ", not " + (value == null ? "null"
                            : "a " + value.getClass().getSimpleName()));
                }
                values[i] = value;
                used++;
            } else {
                values[i] = read(record, component);
            }
        }
        if (used != changes.size()) {
            List<String> names = Arrays.stream(components).map(RecordComponent::getName).toList();
            throw new IllegalArgumentException(type.getSimpleName() + " has no component "
                    + changes.keySet().stream().filter(name -> !names.contains(name)).toList() + "; it has " + names);
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(parameterTypes);
            canonical.setAccessible(true);
            return (R) canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException refusal) {
                throw refusal;
            }
            throw new IllegalStateException("cannot copy " + type.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + type.getSimpleName(), e);
        }
    }

    private static Object read(Record record, RecordComponent component) {
        try {
            var accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("accessor " + component.getName() + " failed", e.getCause());
        }
    }

    private static Class<?> wrap(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "boolean" -> Boolean.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            default -> Character.class;
        };
    }
}
