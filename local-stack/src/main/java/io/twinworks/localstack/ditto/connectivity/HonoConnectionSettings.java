package io.twinworks.localstack.ditto.connectivity;

import io.twinworks.localstack.LocalStackConfig;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;

import java.util.List;
import java.util.Objects;

/**
 * The settings of the Ditto side's Hono connection: what a real Ditto connection of type
 * {@code hono} (a Kafka connection with Hono's addresses) declares in its source.
 *
 * @param bootstrapServers      Kafka's {@code host:port} list (Hono's northbound)
 * @param consumerGroupId       the consumer group whose committed offsets say what was applied
 * @param authorizationSubjects the source's {@code authorizationContext}: the subjects every consumed
 *                              command runs as, e.g. {@code pre-authenticated:hono-connection}; the
 *                              things' policies must grant them WRITE
 */
public record HonoConnectionSettings(String bootstrapServers, String consumerGroupId,
                                     List<String> authorizationSubjects) {

    public HonoConnectionSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(consumerGroupId, "consumerGroupId");
        authorizationSubjects = List.copyOf(Objects.requireNonNull(authorizationSubjects, "authorizationSubjects"));
        if (bootstrapServers.isBlank() || consumerGroupId.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers and consumerGroupId must not be blank");
        }
        if (authorizationSubjects.isEmpty()) {
            throw new IllegalArgumentException("a connection source needs at least one authorization subject");
        }
    }

    /** The settings from the stack config ({@code dittoHonoSubjects}, {@code dittoHonoConsumerGroup}). */
    public static HonoConnectionSettings of(LocalStackConfig config, String bootstrapServers) {
        return new HonoConnectionSettings(bootstrapServers, config.dittoHonoConsumerGroup(), config.dittoHonoSubjects());
    }

    /** The authorization context Ditto gives a command consumed by a connection source. */
    public AuthorizationContext authorizationContext() {
        return AuthorizationContext.newInstance(DittoAuthorizationContextType.PRE_AUTHENTICATED_CONNECTION,
                authorizationSubjects.stream().map(AuthorizationSubject::newInstance).toList());
    }
}
