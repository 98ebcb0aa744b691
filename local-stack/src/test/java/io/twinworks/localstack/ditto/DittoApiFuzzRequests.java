package io.twinworks.localstack.ditto;

import io.vertx.core.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random requests over every route family of the local Ditto API (things down to single
 * properties, things by IDs, policies down to subjects and resources, search and count, SSE, the
 * messages inbox/outbox, the WebSocket upgrade path, unknown paths) and random Ditto Protocol frames
 * for {@code /ws/2}: bad IDs, invalid percent-encoding, odd methods, content types and headers,
 * random and deeply nested JSON, garbage and oversized bodies.
 */
final class DittoApiFuzzRequests {

    /** One HTTP request: raw URI (sent as is, not re-encoded), headers and an optional body. */
    record FuzzRequest(HttpMethod method, String uri, Map<String, String> headers, byte[] body) {

        @Override
        public String toString() {
            String shownBody = body == null ? "-" : new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8)
                    + (body.length > 120 ? "...(" + body.length + " bytes)" : "");
            return method + " " + abbreviate(uri) + " " + headers.keySet().stream()
                    .filter(name -> !"Authorization".equals(name))
                    .map(name -> name + "=" + abbreviate(headers.get(name))).toList() + " body " + shownBody;
        }
    }

    private static final String[] THING_IDS = {
            "fuzz:thing-1", "fuzz:thing-2", "fuzz:missing", "no-namespace", ":", "a:", ":b", "a:b:c", "%", "a:%ZZ",
            "a:%", "%E0%A4%A", "a%3Ab", "fuzz:th%20ing", "fuzz:thing%2F1", "fuzz:%F0%9F%98%80", "fuzz:" + "x".repeat(300),
            "fuzz:thing-1;x=1", "fuzz:thing-1?", "fuzz:thing-1#frag", "fuzz:..", "%00", "fuzz:a+b", "fuzz:%C3%28"};
    private static final String[] POLICY_IDS = {"fuzz:policy-1", "fuzz:thing-1", "fuzz:missing", "bad", "%", "a:%ZZ", ":"};
    private static final String[] LABELS = {"OWNER", "READER", "missing", "%", "a%ZZ", "", "x".repeat(300), "a%20b"};
    private static final String[] RESOURCES = {"thing:/", "thing:", "thing:/features/x", "policy:/", "message:/",
            "unknown:/x", "thing:/%ZZ", "thing", ":", "thing:/features/", "thing://"};
    private static final String[] SUBJECTS = {"nginx:ditto", "nginx:someone", "bad", "%", "::", "x:%ZZ"};
    private static final String[] THING_SUFFIXES = {"", "/", "/attributes", "/attributes/site", "/attributes/a/b/c",
            "/features", "/features/x", "/features/x/properties", "/features/x/properties/rms", "/features/x/definition",
            "/features/x/desiredProperties", "/features/x/desiredProperties/a", "/definition", "/policyId",
            "/features/%ZZ", "/attributes/%", "/features/x/properties/a%2Fb", "/unknown", "/features/x/unknown",
            "//", "/attributes//x", "/features/x/properties/" + "p".repeat(500), "/features/%F0%9F%98%80/properties/v",
            "/inbox/messages/ask", "/outbox/messages/tell", "/features/x/inbox/messages/s", "/inbox/messages/%ZZ"};
    private static final String[] POLICY_SUFFIXES = {"", "/", "/entries", "/entries/%s", "/entries/%s/subjects",
            "/entries/%s/subjects/%s", "/entries/%s/resources", "/entries/%s/resources/%s", "/imports", "/policyId",
            "/unknown", "/entries/%s/unknown"};
    private static final String[] OTHER_PATHS = {"/", "/api", "/api/2", "/api/2/", "/api/1/things/fuzz:thing-1",
            "/api/3", "/api/2/unknown", "/api/2/search", "/api/2/search/things/x", "/ws/2/x", "/status", "/%",
            "/api/2/%ZZ", "/api/2/things%", "/health", "/api/2/connections", "/api/2/whoami", "/api/2/cloudevents"};
    private static final String[] QUERY_PARTS = {"", "fields=attributes", "fields=features(x/properties/rms),attributes",
            "fields=(((", "fields=%", "fields=%ZZ", "ids=fuzz:thing-1,fuzz:thing-2", "ids=", "ids=%ZZ", "ids=bad,,",
            "timeout=1", "timeout=0", "timeout=-5", "timeout=abc", "timeout=9999999", "response-required=maybe",
            "filter=eq(attributes/site,\"a\")", "filter=eq(", "filter=%ZZ", "filter=like(thingId,\"*\")",
            "filter=and(and(and(and(eq(a,1)))))", "option=size(2)", "option=size(-1)", "option=sort(+thingId),size(9999)",
            "option=cursor(garbage)", "option=%", "namespaces=fuzz", "namespaces=%", "x=%", "%=1", "a=%F0",
            "extraFields=attributes", "from-historical-revision=-1", "from-historical-revision=abc",
            "to-historical-revision=1", "from-historical-timestamp=yesterday", "condition=eq(", "live-channel-condition=x"};
    private static final String[] CONTENT_TYPES = {null, "application/json", "application/json; charset=utf-8",
            "application/merge-patch+json", "multipart/form-data", "multipart/form-data; boundary=xyz",
            "multipart/mixed", "application/x-www-form-urlencoded", "text/plain", "text/xml", "application/xml",
            "application/octet-stream", "application/vnd.eclipse.ditto+json", "garbage", "", ";;;", "application/",
            "image/png", "application/json; charset=ebcdic"};
    private static final String[] METHODS = {"GET", "GET", "PUT", "PUT", "PATCH", "DELETE", "POST", "POST", "HEAD",
            "OPTIONS"};

    private final Random random;
    private final String goodAuthorization;

    DittoApiFuzzRequests(long seed, String user, String password) {
        this.random = new Random(seed);
        this.goodAuthorization = basic(user, password);
    }

    /** The next random HTTP request. */
    FuzzRequest nextHttp() {
        HttpMethod method = HttpMethod.valueOf(pick(METHODS));
        String path = switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> "/api/2/things/" + pick(THING_IDS) + pick(THING_SUFFIXES);
            case 4 -> "/api/2/things";
            case 5, 6 -> "/api/2/policies/" + pick(POLICY_IDS) + policySuffix();
            case 7 -> random.nextBoolean() ? "/api/2/search/things" : "/api/2/search/things/count";
            case 8 -> "/ws/2";
            default -> pick(OTHER_PATHS);
        };
        String query = query();
        Map<String, String> headers = headers(method, path);
        byte[] body = body(method, headers.get("Content-Type"));
        return new FuzzRequest(method, query.isEmpty() ? path : path + "?" + query, headers, body);
    }

    private String policySuffix() {
        String template = pick(POLICY_SUFFIXES);
        return switch ((int) template.chars().filter(c -> c == '%').count()) {
            case 1 -> template.formatted(pick(LABELS));
            case 2 -> template.formatted(pick(LABELS),
                    template.contains("resources") ? pick(RESOURCES) : pick(SUBJECTS));
            default -> template;
        };
    }

    private String query() {
        int parts = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(2);
        List<String> query = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            String part = pick(QUERY_PARTS);
            if (!part.isEmpty()) {
                query.add(part);
            }
        }
        return String.join("&", query);
    }

    private Map<String, String> headers(HttpMethod method, String path) {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (random.nextInt(10)) {
            case 0 -> { }
            case 1 -> headers.put("Authorization", basic("ditto", "wrong"));
            case 2 -> headers.put("Authorization", pick(new String[]{"Basic", "Basic %%%", "Bearer x.y.z", "Basic "
                    + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)), "garbage"}));
            default -> headers.put("Authorization", goodAuthorization);
        }
        String contentType = HttpMethod.PATCH.equals(method) && random.nextInt(3) > 0
                ? "application/merge-patch+json" : pick(CONTENT_TYPES);
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (random.nextInt(4) == 0 || path.startsWith("/api/2/things") && random.nextInt(3) == 0) {
            headers.put("Accept", pick(new String[]{"text/event-stream", "application/json", "*/*", "garbage",
                    "text/event-stream;q=0.1, application/json"}));
        }
        if (random.nextInt(5) == 0) {
            headers.put(pick(new String[]{"If-Match", "If-None-Match"}),
                    pick(new String[]{"\"rev:1\"", "*", "rev:1", "\"", "garbage", "\"rev:abc\"", "W/\"rev:1\""}));
        }
        if (random.nextInt(6) == 0) {
            headers.put(pick(new String[]{"correlation-id", "x-correlation-id", "requested-acks", "timeout",
                            "response-required", "declared-acks", "Connection", "Upgrade"}),
                    pick(new String[]{"", "x".repeat(2000), "[\"twin-persisted\"]", "[garbage", "-1", "true",
                            "Upgrade", "websocket", "%ZZ"}));
        }
        return headers;
    }

    private byte[] body(HttpMethod method, String contentType) {
        boolean carriesBody = HttpMethod.PUT.equals(method) || HttpMethod.PATCH.equals(method)
                || HttpMethod.POST.equals(method) || random.nextInt(10) == 0;
        if (!carriesBody) {
            return null;
        }
        return switch (random.nextInt(12)) {
            case 0 -> new byte[0];
            case 1 -> randomBytes(1 + random.nextInt(200));
            case 2 -> "{".repeat(1 + random.nextInt(5000)).getBytes(StandardCharsets.UTF_8);
            case 3 -> deepJson(1 + random.nextInt(3000)).getBytes(StandardCharsets.UTF_8);
            case 4 -> ("{\"attributes\":{\"blob\":\"" + "x".repeat(100_000 + random.nextInt(50_000)) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            case 5 -> (contentType != null && contentType.startsWith("multipart")
                    ? "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--xyz--\r\n"
                    : "a=1&b=%ZZ&c").getBytes(StandardCharsets.UTF_8);
            case 6 -> pick(new String[]{"null", "42", "\"text\"", "[]", "[1,2,{}]", "true", "{\"policyId\":42}",
                    "{\"thingId\":\"other:thing\"}", "{\"features\":{\"%\":{}}}", "{\"attributes\":null}",
                    "{\"\":1}", "{\"a/b\":1}", "{\"entries\":{}}", "{\"entries\":{\"X\":{\"subjects\":{},\"resources\":{}}}}",
                    "{\"grant\":[\"READ\"],\"revoke\":[]}", "{\"grant\":[\"FLY\"]}", "{\"type\":\"x\"}",
                    "{\"properties\":{\"rms\":\"NaN\"}}", "\uD800", "{\"a\":1}{\"b\":2}", "{\"a\":1e999999}"})
                    .getBytes(StandardCharsets.UTF_8);
            default -> randomJson(0).getBytes(StandardCharsets.UTF_8);
        };
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String deepJson(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    private String randomJson(int depth) {
        int kind = depth > 4 ? random.nextInt(4) : random.nextInt(7);
        return switch (kind) {
            case 0 -> Integer.toString(random.nextInt(2000) - 1000);
            case 1 -> "\"" + pick(new String[]{"plant-a", "", "%ZZ", "thing:/", "\\u0000", "😀", "a\\\"b"}) + "\"";
            case 2 -> random.nextBoolean() ? "true" : "null";
            case 3 -> Double.toString(random.nextGaussian() * 1e6);
            case 4, 5 -> {
                StringBuilder object = new StringBuilder("{");
                int fields = random.nextInt(4);
                for (int i = 0; i < fields; i++) {
                    object.append(i == 0 ? "" : ",").append('"').append(pick(new String[]{"attributes", "features",
                            "policyId", "thingId", "definition", "properties", "x", "rms", "entries", "subjects",
                            "resources", "_revision", "", "a/b", "thing:/"})).append("\":").append(randomJson(depth + 1));
                }
                yield object.append('}').toString();
            }
            default -> "[" + randomJson(depth + 1) + "," + randomJson(depth + 1) + "]";
        };
    }

    /** The next random text frame for {@code /ws/2}: control messages, Ditto Protocol envelopes, garbage. */
    String nextWebSocketFrame() {
        return switch (random.nextInt(8)) {
            case 0 -> pick(new String[]{"START-SEND-EVENTS", "START-SEND-EVENTS?filter=eq(", "START-SEND-EVENTS?filter=%ZZ",
                    "STOP-SEND-EVENTS", "START-SEND-MESSAGES?namespaces=%", "START-SEND-LIVE-COMMANDS",
                    "START-SEND-LIVE-EVENTS?extraFields=(((", "START-SEND-POLICY-ANNOUNCEMENTS", "START-SEND-",
                    "START-SEND-EVENTS?correlation-id=%", "START-SEND-EVENTS?filter=" + "x".repeat(5000)});
            case 1 -> new String(randomBytes(1 + random.nextInt(100)), StandardCharsets.ISO_8859_1);
            case 2 -> randomJson(0);
            case 3 -> deepJson(1 + random.nextInt(3000));
            default -> protocolEnvelope();
        };
    }

    private String protocolEnvelope() {
        String thing = pick(new String[]{"fuzz/thing-1", "fuzz/missing", "bad", "fuzz/%ZZ", "_/_", "a/b/c"});
        String topic = pick(new String[]{
                thing + "/things/twin/commands/" + pick(new String[]{"modify", "merge", "retrieve", "delete", "create", "fly"}),
                thing + "/things/live/messages/" + pick(new String[]{"ask", "%", ""}),
                thing + "/things/live/commands/modify", thing + "/things/twin/events/modified",
                thing + "/policies/commands/" + pick(new String[]{"retrieve", "modify", "delete"}),
                thing + "/things/twin/acks/custom", thing + "/things/twin/search/subscribe",
                "", "garbage", "///////", thing + "/things/twin/errors"});
        String path = pick(new String[]{"/", "/attributes/site", "/features/x/properties/rms", "/entries/OWNER",
                "/entries/OWNER/resources/thing:/", "/features/%ZZ", "", "no-slash", "/features/x/inbox/messages/s",
                "//", "/policyId", "/definition"});
        String headers = pick(new String[]{"{}", "{\"correlation-id\":\"fuzz\"}", "{\"response-required\":\"maybe\"}",
                "{\"requested-acks\":\"[garbage\"}", "{\"requested-acks\":[\"twin-persisted\",\"custom\"],\"timeout\":\"1s\"}",
                "{\"timeout\":\"-1\"}", "{\"if-match\":\"garbage\"}", "{\"content-type\":\"multipart/form-data\"}",
                "{\"authorization-context\":[\"nginx:ditto\"]}", "[]", "null", "{\"response-required\":false}"});
        String value = random.nextInt(5) == 0 ? "" : ",\"value\":" + randomJson(0);
        String status = random.nextInt(6) == 0 ? ",\"status\":" + pick(new String[]{"200", "999", "-1", "\"x\""}) : "";
        return "{\"topic\":\"" + topic + "\",\"headers\":" + headers + ",\"path\":\"" + path + "\"" + value + status + "}";
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
