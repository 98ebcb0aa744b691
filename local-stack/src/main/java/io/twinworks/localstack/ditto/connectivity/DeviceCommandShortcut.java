package io.twinworks.localstack.ditto.connectivity;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaderDefinition;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeadersBuilder;
import org.eclipse.ditto.base.model.headers.HeaderDefinition;
import org.eclipse.ditto.base.model.headers.contenttype.ContentType;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.messages.model.MessageHeaderDefinition;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.ThingResource;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThing;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyFeatureProperties;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyFeatureProperty;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyFeatures;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The shortcut of {@link HonoRecordMapper} for what devices send: a Ditto Protocol twin {@code merge} or
 * {@code modify} of the device's own thing at {@code /features}, {@code /features/<id>/properties} or below.
 * It builds the same command ({@link MergeThing}, {@link ModifyFeatures}, {@link ModifyFeatureProperties},
 * {@link ModifyFeatureProperty}) that Ditto's protocol adapter followed by the connection's header handling
 * builds, with the Ditto factory methods the adapter's mapping strategies call, but reads the envelope's fields
 * from the message text ({@link EnvelopeFields}) and parses only the value with Ditto's parser, and builds the
 * command headers once per distinct header set (the adapter builds them four times per message and re-parses
 * the topic and the payload fields).
 *
 * <p>It only takes messages whose outcome it is sure of: anything else (another topic, path or field,
 * header keys in upper case, headers the adapter rewrites such as JSON-array headers, no merge-patch
 * content type, any exception) yields empty, and the general path decides, refusals included. So
 * a refusal is always the general path's refusal. Thread-safe; it remembers, in bounded caches, what devices
 * repeat: each device's thing ID and topics, what each set of message headers without correlation ID yields,
 * and each path's pointer and resource.
 */
final class DeviceCommandShortcut {

    private static final String MERGE_TOPIC_SUFFIX = "/things/twin/commands/merge";
    private static final String MODIFY_TOPIC_SUFFIX = "/things/twin/commands/modify";
    /** The headers text of a message without headers. */
    private static final String NO_HEADERS = "{}";
    /** Ditto's protocol adapter leaves out the entity ID of topics with this namespace or name (a wildcard). */
    private static final String ID_PLACEHOLDER = "_";

    /** Device IDs whose thing is remembered, at most; more devices than that empty the cache now and then. */
    static final int MAX_DEVICE_THINGS = 16_384;
    /** Distinct header sets (without correlation ID) whose outcome is remembered, at most. */
    static final int MAX_HEADER_TEMPLATES = 256;
    /** Distinct message paths whose pointer and resource are remembered, at most. */
    static final int MAX_PATH_TARGETS = 4_096;

    private final AuthorizationContext authorizationContext;
    private final Map<String, DeviceThing> deviceThings = new ConcurrentHashMap<>();
    private final Map<String, HeaderTemplate> headerTemplates = new ConcurrentHashMap<>();
    private final Map<String, PathTarget> pathTargets = new ConcurrentHashMap<>();

    DeviceCommandShortcut(AuthorizationContext authorizationContext) {
        this.authorizationContext = Objects.requireNonNull(authorizationContext, "authorizationContext");
    }

    /**
     * The command of a message (its JSON text) of device {@code deviceId}, or empty when the general path
     * must decide — also when the text is not JSON: the general path refuses it with the parser's reason.
     */
    Optional<ThingCommand<?>> map(String messageText, String deviceId) {
        try {
            EnvelopeFields fields = EnvelopeFields.of(messageText);
            return fields == null ? Optional.empty() : Optional.ofNullable(commandOrNull(fields, deviceId));
        } catch (RuntimeException e) {
            return Optional.empty();  // the general path refuses it with the adapter's own reason
        }
    }

    /** As {@link #map(String, String)} on the message's JSON text. */
    Optional<ThingCommand<?>> map(JsonObject message, String deviceId) {
        return map(message.toString(), deviceId);
    }

    private ThingCommand<?> commandOrNull(EnvelopeFields message, String deviceId) {
        DeviceThing device = deviceThing(deviceId);
        if (device.thingId() == null) {
            return null;
        }
        ThingId thingId = device.thingId();
        boolean merge = message.topic().equals(device.mergeTopic());
        if (!merge && !message.topic().equals(device.modifyTopic())) {
            return null;
        }
        PathTarget target = pathTarget(message.path());
        if (target.resource() == null) {
            return null;
        }
        DittoHeaders commandHeaders = commandHeaders(
                message.headersText() == null ? NO_HEADERS : message.headersText(), merge);
        if (commandHeaders == null) {
            return null;
        }
        // the one parse of the value, by Ditto's parser (which throws for what is not JSON)
        JsonValue value = JsonFactory.readFrom(message.valueText());
        return merge ? merge(target.resource(), thingId, target.pointer(), value, commandHeaders)
                : modify(target.resource(), thingId, target.pointer(), value, commandHeaders);
    }

    /**
     * What Ditto's merge mapping strategies make of these resources, with the same factory methods — but for
     * the properties of a feature, what devices send most: {@code MergeThing.withFeatureProperties} parses the
     * feature ID into a pointer and appends it to {@code /features} and {@code /properties}, which gives the
     * message's own path; here the remembered pointer of that path is the command's path.
     */
    private static ThingCommand<?> merge(ThingResource resource, ThingId thingId, JsonPointer pointer, JsonValue value,
                                         DittoHeaders headers) {
        return switch (resource) {
            case FEATURES -> value.isObject()
                    ? MergeThing.withFeatures(thingId, ThingsModelFactory.newFeatures(value.asObject()), headers)
                    : null;
            case FEATURE_PROPERTIES -> value.isObject()
                    ? MergeThing.of(thingId, pointer, ThingsModelFactory.newFeatureProperties(value.asObject()).toJson(),
                    headers)
                    : null;
            case FEATURE_PROPERTY -> MergeThing.withFeatureProperty(thingId, featureId(pointer),
                    propertyPointer(pointer), value, headers);
            default -> null;
        };
    }

    /** What Ditto's modify mapping strategies make of these resources, with the same factory methods. */
    private static ThingCommand<?> modify(ThingResource resource, ThingId thingId, JsonPointer pointer, JsonValue value,
                                          DittoHeaders headers) {
        return switch (resource) {
            case FEATURES -> value.isObject()
                    ? ModifyFeatures.of(thingId, ThingsModelFactory.newFeatures(value.asObject()), headers)
                    : null;
            case FEATURE_PROPERTIES -> value.isObject()
                    ? ModifyFeatureProperties.of(thingId, featureId(pointer),
                    ThingsModelFactory.newFeatureProperties(value.asObject()), headers)
                    : null;
            case FEATURE_PROPERTY -> ModifyFeatureProperty.of(thingId, featureId(pointer), propertyPointer(pointer),
                    value, headers);
            default -> null;
        };
    }

    /**
     * The pointer of a message path and the thing resource it addresses; both {@code null} when the shortcut
     * leaves messages with this path to the general path.
     */
    private record PathTarget(JsonPointer pointer, ThingResource resource) {

        static final PathTarget NOT_TAKEN = new PathTarget(null, null);
    }

    private PathTarget pathTarget(String path) {
        PathTarget target = pathTargets.get(path);
        if (target == null) {
            JsonPointer pointer = plainPointer(path);
            target = pointer == null ? PathTarget.NOT_TAKEN
                    : ThingResource.from(pointer).map(resource -> new PathTarget(pointer, resource))
                    .orElse(PathTarget.NOT_TAKEN);
            remember(pathTargets, MAX_PATH_TARGETS, path, target);
        }
        return target;
    }

    /** The feature ID of {@code /features/<id>/...}. */
    private static String featureId(JsonPointer pointer) {
        return pointer.get(1).orElseThrow().toString();
    }

    /** The property path of {@code /features/<id>/properties/<property path>}. */
    private static JsonPointer propertyPointer(JsonPointer pointer) {
        return pointer.getSubPointer(3).orElseThrow();
    }

    /**
     * The pointer of a path made of non-empty segments after a leading slash, without {@code ~} (for
     * these Ditto's protocol reads each segment as one key); {@code null} for any other path.
     */
    private static JsonPointer plainPointer(String path) {
        if (path.length() < 2 || path.charAt(0) != '/' || path.charAt(path.length() - 1) == '/'
                || path.indexOf('~') >= 0 || path.contains("//")) {
            return null;
        }
        List<JsonKey> keys = new ArrayList<>();
        int start = 1;
        for (int slash = path.indexOf('/', start); slash >= 0; slash = path.indexOf('/', start)) {
            keys.add(JsonKey.of(path.substring(start, slash)));
            start = slash + 1;
        }
        keys.add(JsonKey.of(path.substring(start)));
        return JsonFactory.newPointer(keys.get(0), keys.subList(1, keys.size()).toArray(JsonKey[]::new));
    }

    /**
     * The message's headers (validated by Ditto's header builder) minus those Ditto does not read from
     * outside, with the connection's authorization context and a correlation ID; {@code null} when the
     * adapter would rewrite a header or, for a merge, the content type is missing or not a merge patch.
     * What a set of headers without correlation ID yields is worked out once and remembered (devices send
     * the same headers with every message); each command then only gets its fresh correlation ID.
     */
    private DittoHeaders commandHeaders(String headersText, boolean merge) {
        // keyed by the text: JSON objects with the same entries in another order are equal, their headers are not
        HeaderTemplate template = headerTemplates.get(headersText);
        if (template == null) {
            // Ditto's parser throws for a text that is not JSON: nothing is remembered then
            template = headerTemplate(JsonFactory.newObject(headersText));
            if (!template.hasCorrelationId()) {
                remember(headerTemplates, MAX_HEADER_TEMPLATES, headersText, template);
            }
        }
        if (template.headers() == null || (merge && !template.mergePatch())) {
            return null;   // a merge without merge-patch content type: the adapter refuses it (415)
        }
        return template.hasCorrelationId() ? template.headers()
                : ValidatedDittoHeaders.withCorrelationId(template.entries(), newCorrelationId());
    }

    /** What Ditto's builder and the connection make of a message's headers, before a correlation ID is added. */
    private HeaderTemplate headerTemplate(JsonObject messageHeaders) {
        DittoHeadersBuilder<?, ?> builder;
        try {
            builder = DittoHeaders.newBuilder(messageHeaders);
        } catch (RuntimeException e) {
            return HeaderTemplate.NOT_TAKEN;   // an invalid value: the general path refuses it with its reason
        }
        boolean hasCorrelationId = false;
        boolean mergePatch = false;
        for (JsonField header : messageHeaders) {
            String key = header.getKeyName();
            if (!key.equals(key.toLowerCase(Locale.ROOT))) {
                return HeaderTemplate.NOT_TAKEN;  // the adapter's and the connection's filters differ in how they key these
            }
            Optional<HeaderDefinition> dittoDefinition = DittoHeaderDefinition.forKey(key);
            Optional<HeaderDefinition> messageDefinition = MessageHeaderDefinition.forKey(key);
            if (isJsonArray(dittoDefinition) || isJsonArray(messageDefinition)) {
                return HeaderTemplate.NOT_TAKEN;  // the adapter normalises the text of JSON-array headers
            }
            if (!readFromOutside(dittoDefinition) || !readFromOutside(messageDefinition)) {
                builder.removeHeader(key);
            } else if (DittoHeaderDefinition.CORRELATION_ID.getKey().equals(key)) {
                hasCorrelationId = true;
            } else if (DittoHeaderDefinition.CONTENT_TYPE.getKey().equals(key)) {
                mergePatch = header.getValue().isString()
                        && ContentType.of(header.getValue().asString()).isJsonMergePatch();
            }
        }
        DittoHeaders headers = builder.authorizationContext(authorizationContext).build();
        return new HeaderTemplate(headers, headers.asCaseSensitiveMap(), mergePatch, hasCorrelationId);
    }

    /**
     * What a message's headers yield.
     *
     * @param headers          the command's headers, but for the correlation ID when the message has none;
     *                         {@code null} when the shortcut leaves such messages to the general path
     * @param entries          {@code headers} as an ordered map
     * @param mergePatch       whether the content type is a JSON merge patch (required for a merge)
     * @param hasCorrelationId whether the message brings its correlation ID
     */
    private record HeaderTemplate(DittoHeaders headers, Map<String, String> entries, boolean mergePatch,
                                  boolean hasCorrelationId) {

        static final HeaderTemplate NOT_TAKEN = new HeaderTemplate(null, Map.of(), false, false);
    }

    /**
     * A device's thing and the topics of its own merges and modifies; {@code thingId} {@code null} when
     * the shortcut leaves the device's messages to the general path (an ID that is no thing ID, or with an
     * empty or placeholder part).
     */
    private record DeviceThing(ThingId thingId, String mergeTopic, String modifyTopic) {

        static final DeviceThing NOT_TAKEN = new DeviceThing(null, "", "");
    }

    private DeviceThing deviceThing(String deviceId) {
        DeviceThing device = deviceThings.get(deviceId);
        if (device == null) {
            device = newDeviceThing(deviceId);
            remember(deviceThings, MAX_DEVICE_THINGS, deviceId, device);
        }
        return device;
    }

    private static DeviceThing newDeviceThing(String deviceId) {
        ThingId thingId;
        try {
            thingId = ThingId.of(deviceId);
        } catch (RuntimeException e) {
            return DeviceThing.NOT_TAKEN;   // the general path refuses its messages with the adapter's reason
        }
        if (thingId.getNamespace().isEmpty() || ID_PLACEHOLDER.equals(thingId.getNamespace())
                || ID_PLACEHOLDER.equals(thingId.getName())) {
            return DeviceThing.NOT_TAKEN;
        }
        String ownThing = thingId.getNamespace() + "/" + thingId.getName();
        return new DeviceThing(thingId, ownThing + MERGE_TOPIC_SUFFIX, ownThing + MODIFY_TOPIC_SUFFIX);
    }

    /** How many devices' things are remembered now (at most {@link #MAX_DEVICE_THINGS}). */
    int rememberedDevices() {
        return deviceThings.size();
    }

    /** Puts an entry into a cache of at most {@code max} entries, emptying it first when it is full. */
    private static <K, V> void remember(Map<K, V> cache, int max, K key, V value) {
        if (cache.size() >= max) {
            cache.clear();
        }
        cache.put(key, value);
    }

    private static boolean isJsonArray(Optional<HeaderDefinition> definition) {
        return definition.filter(d -> JsonArray.class.equals(d.getSerializationType())).isPresent();
    }

    private static boolean readFromOutside(Optional<HeaderDefinition> definition) {
        return definition.map(HeaderDefinition::shouldReadFromExternalHeaders).orElse(true);
    }

    /**
     * A random (version 4) UUID for a message without correlation ID. From a thread-local generator, not
     * {@link UUID#randomUUID()}'s shared secure one: the ID only has to be unique, and this is once per
     * record on the connection's thread.
     */
    static String newCorrelationId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(most, least).toString();
    }
}
