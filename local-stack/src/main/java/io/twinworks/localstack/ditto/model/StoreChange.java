package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;

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

    /**
     * A thing changed by a merge patch: the store may record the patch (a few hundred bytes for a device's reading)
     * instead of the whole thing; reading the thing back gives {@code thing}.
     *
     * @param thing the thing after the merge
     * @param path  where the patch was merged
     * @param patch the merge patch; Ditto's {@code JsonMergePatch.of(path, patch).applyOn(before)} gives
     *              {@code thing}'s JSON
     */
    record MergeThing(StoredThing thing, JsonPointer path, JsonValue patch) implements StoreChange {
        public MergeThing {
            Objects.requireNonNull(thing, "thing");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(patch, "patch");
        }
    }

    /** Insert or replace a policy (including its tombstone). */
    record PutPolicy(StoredPolicy policy) implements StoreChange {
        public PutPolicy {
            Objects.requireNonNull(policy, "policy");
        }
    }
}
