package io.twinworks.localstack.ditto.connectivity;

import org.eclipse.ditto.things.model.signals.commands.ThingCommand;

import java.util.Objects;

/** What {@link HonoRecordMapper} made of one consumed record. */
public sealed interface RecordMapping {

    /** Where the record came from. */
    RecordOrigin origin();

    /**
     * A twin command to hand to the twin service.
     *
     * @param origin  where the record came from
     * @param command the command, with the connection's authorization context in its headers
     */
    record Apply(RecordOrigin origin, ThingCommand<?> command) implements RecordMapping {
        public Apply {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(command, "command");
        }
    }

    /**
     * A record that is not applied.
     *
     * @param origin where the record came from
     * @param reason why
     * @param detail a human-readable explanation for the log
     */
    record NotApplied(RecordOrigin origin, IngestRefusal reason, String detail) implements RecordMapping {
        public NotApplied {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
