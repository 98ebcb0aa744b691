package io.twinworks.localstack.ditto.connectivity;

/**
 * The {@code topic}, {@code headers}, {@code path} and {@code value} of a Ditto Protocol message, found in
 * its JSON text in one pass without parsing what {@link DeviceCommandShortcut} does not need as JSON: the
 * topic and path are plain strings, the headers text is the key of the shortcut's remembered header sets,
 * and the value text is parsed once, by Ditto's JSON parser, into the value the command carries.
 *
 * <p>{@link #of(String)} is strict and only says "not sure" (null): an envelope with any other field, a
 * field twice, a topic or path string with an escape or control character, or anything else that is not
 * plainly {@code {"field": ..., ...}} is left to the general path, which parses the whole text. When it
 * finds the fields, the text is JSON as soon as Ditto's parser accepts the headers and value texts (every
 * other character has been checked here), so the shortcut never takes a message the general path would
 * refuse as not JSON.
 *
 * @param topic       the {@code topic} string
 * @param headersText the text of the {@code headers} value ({@code null} when absent); not checked to be JSON
 * @param path        the {@code path} string
 * @param valueText   the text of the {@code value}; not checked to be JSON
 */
record EnvelopeFields(String topic, String headersText, String path, String valueText) {

    private static final String TOPIC = "topic";
    private static final String HEADERS = "headers";
    private static final String PATH = "path";
    private static final String VALUE = "value";
    private static final String[] FIELD_NAMES = {TOPIC, HEADERS, PATH, VALUE};

    /** The fields of a message's text, or {@code null} when the text is not plainly an envelope of just these. */
    static EnvelopeFields of(String text) {
        return new Scanner(text).envelope();
    }

    /** One pass over the text; every method returns -1 (or null) for "not sure". */
    private static final class Scanner {

        private final String text;
        private final int length;

        Scanner(String text) {
            this.text = text;
            this.length = text.length();
        }

        EnvelopeFields envelope() {
            String topic = null;
            String headersText = null;
            String path = null;
            String valueText = null;
            int at = skipWhiteSpace(0);
            if (at >= length || text.charAt(at) != '{') {
                return null;
            }
            at = skipWhiteSpace(at + 1);
            while (true) {
                int keyEnd = plainStringEnd(at);
                if (keyEnd < 0) {
                    return null;
                }
                String key = fieldName(at + 1, keyEnd - 1);
                if (key == null) {
                    return null;  // revision, status, extra, ...: the general path reads and checks them
                }
                at = skipWhiteSpace(keyEnd);
                if (at >= length || text.charAt(at) != ':') {
                    return null;
                }
                at = skipWhiteSpace(at + 1);
                int valueEnd;
                switch (key) {
                    case TOPIC, PATH -> {
                        valueEnd = plainStringEnd(at);
                        if (valueEnd < 0 || (TOPIC.equals(key) ? topic : path) != null) {
                            return null;
                        }
                        String string = text.substring(at + 1, valueEnd - 1);
                        if (TOPIC.equals(key)) {
                            topic = string;
                        } else {
                            path = string;
                        }
                    }
                    case HEADERS, VALUE -> {
                        valueEnd = valueEnd(at);
                        if (valueEnd < 0 || (HEADERS.equals(key) ? headersText : valueText) != null) {
                            return null;
                        }
                        if (HEADERS.equals(key)) {
                            headersText = text.substring(at, valueEnd);
                        } else {
                            valueText = text.substring(at, valueEnd);
                        }
                    }
                    default -> throw new IllegalStateException("not a field name: " + key);
                }
                at = skipWhiteSpace(valueEnd);
                if (at >= length) {
                    return null;
                }
                char separator = text.charAt(at);
                at = skipWhiteSpace(at + 1);
                if (separator == '}') {
                    break;
                }
                if (separator != ',') {
                    return null;
                }
            }
            if (at != length || topic == null || path == null || valueText == null) {
                return null;
            }
            return new EnvelopeFields(topic, headersText, path, valueText);
        }

        /** The field name (one of the four constants) the text has from {@code start} to {@code end}, or null. */
        private String fieldName(int start, int end) {
            for (String name : FIELD_NAMES) {
                if (end - start == name.length() && text.startsWith(name, start)) {
                    return name;
                }
            }
            return null;
        }

        /** After the closing quote of a string at {@code at} without escapes or control characters, or -1. */
        private int plainStringEnd(int at) {
            if (at >= length || text.charAt(at) != '"') {
                return -1;
            }
            for (int i = at + 1; i < length; i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    return i + 1;
                }
                if (c == '\\' || c < 0x20) {
                    return -1;
                }
            }
            return -1;
        }

        /**
         * After the value starting at {@code at}: a string, an object or array (to its matching bracket,
         * strings with escapes skipped), or a scalar (up to the next separator or white space). Whether
         * it is JSON is for Ditto's parser to say.
         */
        private int valueEnd(int at) {
            if (at >= length) {
                return -1;
            }
            char first = text.charAt(at);
            if (first == '"') {
                return stringEnd(at);
            }
            if (first == '{' || first == '[') {
                int depth = 0;
                for (int i = at; i < length; i++) {
                    char c = text.charAt(i);
                    if (c == '"') {
                        i = stringEnd(i);
                        if (i < 0) {
                            return -1;
                        }
                        i--;
                    } else if (c == '{' || c == '[') {
                        depth++;
                    } else if (c == '}' || c == ']') {
                        depth--;
                        if (depth == 0) {
                            return i + 1;
                        }
                    }
                }
                return -1;
            }
            int i = at;
            while (i < length && ",}] \t\n\r".indexOf(text.charAt(i)) < 0) {
                i++;
            }
            return i == at ? -1 : i;
        }

        /** After the closing quote of the string at {@code at} (escapes skipped), or -1. */
        private int stringEnd(int at) {
            for (int i = at + 1; i < length; i++) {
                char c = text.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    return i + 1;
                }
            }
            return -1;
        }

        /** JSON's white space: space, tab, line feed, carriage return. */
        private int skipWhiteSpace(int at) {
            int i = at;
            while (i < length) {
                char c = text.charAt(i);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    break;
                }
                i++;
            }
            return i;
        }
    }
}
