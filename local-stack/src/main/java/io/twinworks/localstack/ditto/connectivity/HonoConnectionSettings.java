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
 * @param fetchMinBytes         the consumer's {@code fetch.min.bytes}: how much the broker gathers for a fetch
 *                              before it answers (or {@code fetchMaxWaitMs} passed)
 * @param fetchMaxWaitMs        the consumer's {@code fetch.max.wait.ms}: how long a fetch may wait for
 *                              {@code fetchMinBytes}
 * @param commitIntervalMs      the least time between two offset commits while records keep coming (each commit is
 *                              a write of the group coordinator); a crash re-applies at most the records of one
 *                              interval, as Ditto's at-least-once Hono source does. 0: after every poll
 */
public record HonoConnectionSettings(String bootstrapServers, String consumerGroupId,
                                     List<String> authorizationSubjects, int fetchMinBytes, int fetchMaxWaitMs,
                                     int commitIntervalMs) {

    /** The default {@code fetch.min.bytes}. */
    public static final int DEFAULT_FETCH_MIN_BYTES = 1;
    /** The default {@code fetch.max.wait.ms}. */
    public static final int DEFAULT_FETCH_MAX_WAIT_MS = 500;
    /** The default commit interval: Kafka's own auto-commit default is 5 s; 1 s re-applies less after a crash. */
    public static final int DEFAULT_COMMIT_INTERVAL_MS = 1_000;

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
        if (fetchMinBytes < 1 || fetchMaxWaitMs < 0) {
            throw new IllegalArgumentException("fetchMinBytes must be positive and fetchMaxWaitMs not negative");
        }
        if (commitIntervalMs < 0) {
            throw new IllegalArgumentException("commitIntervalMs must not be negative, was " + commitIntervalMs);
        }
    }

    /** Settings with the default fetch sizes and commit interval. */
    public HonoConnectionSettings(String bootstrapServers, String consumerGroupId, List<String> authorizationSubjects) {
        this(bootstrapServers, consumerGroupId, authorizationSubjects, DEFAULT_FETCH_MIN_BYTES, DEFAULT_FETCH_MAX_WAIT_MS,
                DEFAULT_COMMIT_INTERVAL_MS);
    }

    /** The settings from the stack config ({@code dittoHonoSubjects}, {@code dittoHonoConsumerGroup}, fetch sizes, commit interval). */
    public static HonoConnectionSettings of(LocalStackConfig config, String bootstrapServers) {
        return new HonoConnectionSettings(bootstrapServers, config.dittoHonoConsumerGroup(), config.dittoHonoSubjects(),
                config.dittoHonoFetchMinBytes(), config.dittoHonoFetchMaxWaitMs(), config.dittoHonoCommitIntervalMs());
    }

    /** The authorization context Ditto gives a command consumed by a connection source. */
    public AuthorizationContext authorizationContext() {
        return AuthorizationContext.newInstance(DittoAuthorizationContextType.PRE_AUTHENTICATED_CONNECTION,
                authorizationSubjects.stream().map(AuthorizationSubject::newInstance).toList());
    }
}
