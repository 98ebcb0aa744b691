package io.twinworks.adapters.model;

import java.util.regex.Pattern;

/** Checks of Ditto thing IDs ({@code <namespace>:<name>}), which are also Hono device IDs here. */
public final class ThingIds {

    // Ditto's namespace rule (Java package style, may be empty) and a name without '/' or control chars.
    private static final Pattern THING_ID = Pattern.compile(
            "(?<ns>|(?:[a-zA-Z]\\w*+)(?:\\.[a-zA-Z]\\w*+)*+):(?<name>[^\\x00-\\x1F\\x7F-\\xFF/]++)");

    private ThingIds() {
    }

    /** Whether the ID is a valid thing ID. */
    public static boolean isValid(String thingId) {
        return thingId != null && thingId.length() <= 256 && THING_ID.matcher(thingId).matches();
    }

    /** Returns the ID or throws {@link IllegalArgumentException} naming the rule. */
    public static String requireValid(String thingId) {
        if (!isValid(thingId)) {
            throw new IllegalArgumentException("'" + thingId + "' is not a thing ID <namespace>:<name>"
                    + " (namespace like org.acme, name without '/')");
        }
        return thingId;
    }

    /** The namespace part. */
    public static String namespace(String thingId) {
        return requireValid(thingId).substring(0, thingId.indexOf(':'));
    }

    /** The name part. */
    public static String name(String thingId) {
        return requireValid(thingId).substring(thingId.indexOf(':') + 1);
    }
}
