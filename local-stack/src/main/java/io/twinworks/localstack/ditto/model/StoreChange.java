package io.twinworks.localstack.ditto.model;

import java.util.Objects;

/**
 * One change of a transaction of the twin store; a command's changes are committed together
 * (e.g. a created thing with its default policy), so a crash never leaves half of them.
 */
public sealed interface StoreChange {

    /** Insert or replace a thing (including its tombstone). */
    record PutThing(StoredThing thing) implements StoreChange {
        public PutThing {
            Objects.requireNonNull(thing, "thing");
        }
    }

    /** Insert or replace a policy (including its tombstone). */
    record PutPolicy(StoredPolicy policy) implements StoreChange {
        public PutPolicy {
            Objects.requireNonNull(policy, "policy");
        }
    }

    /** Append a feature state to that feature's bounded history. */
    record AppendFeatureHistory(FeatureHistoryEntry entry) implements StoreChange {
        public AppendFeatureHistory {
            Objects.requireNonNull(entry, "entry");
        }
    }
}
