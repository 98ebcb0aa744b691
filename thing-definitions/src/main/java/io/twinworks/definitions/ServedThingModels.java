package io.twinworks.definitions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The shipped Thing Models as HTTP documents under one base URL: each model rebased to
 * {@code <base>/models/<file>} ({@link ThingModelCatalog#rebased}), serialized once, with a strong
 * {@code ETag} (a hash of the bytes) so clients such as Ditto's model cache can revalidate cheaply.
 */
public final class ServedThingModels {

    /** The media type of a W3C WoT Thing Model (TD 1.1, IANA-registered). */
    public static final String CONTENT_TYPE = "application/tm+json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ModelsBaseUrl base;
    private final Map<String, Document> byFileName;

    /**
     * A served model document.
     *
     * @param body the model's JSON, UTF-8
     * @param etag the strong entity tag of {@code body}, quoted
     */
    public record Document(byte[] body, String etag) {
        public Document {
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    /** Serves every model of {@code catalog} (as shipped) under {@code base}. */
    public ServedThingModels(ThingModelCatalog catalog, ModelsBaseUrl base) {
        this.base = base;
        Map<String, Document> documents = new LinkedHashMap<>();
        for (ThingModel model : catalog.rebased(base).all()) {
            byte[] body;
            try {
                body = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(model.json()).getBytes(StandardCharsets.UTF_8);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialize " + model.fileName(), e);
            }
            documents.put(model.fileName(), new Document(body, etagOf(body)));
        }
        this.byFileName = Map.copyOf(documents);
    }

    /** The base the documents' ids and links name. */
    public ModelsBaseUrl base() {
        return base;
    }

    /** The document of {@code <name>-<version>.tm.jsonld}, if shipped. */
    public Optional<Document> document(String fileName) {
        return Optional.ofNullable(byFileName.get(fileName));
    }

    private static String etagOf(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JVM", e);
        }
    }
}
