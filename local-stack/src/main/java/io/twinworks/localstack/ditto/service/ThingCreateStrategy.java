package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.StoreChange;
import io.twinworks.localstack.ditto.model.StoredPolicy;
import io.twinworks.localstack.ditto.model.StoredThing;
import io.twinworks.localstack.ditto.store.TwinStore;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotCreatableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotModifiableException;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The strategy of a thing's creation (POST, or a PUT of a thing that does not exist): with an inline policy,
 * a copied one ({@code _copyPolicyFrom}), Ditto's default policy for the creating subjects, or an existing
 * policy the subject may write the thing under.
 */
final class ThingCreateStrategy {

    private final TwinStore store;
    private final ThingEnforcement enforcement;
    private final ThingEvents events;
    private final Clock clock;

    ThingCreateStrategy(TwinStore store, ThingEnforcement enforcement, ThingEvents events, Clock clock) {
        this.store = store;
        this.enforcement = enforcement;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param tombstone the deleted thing of that ID, if any (the new one continues its revisions)
     */
    CommandOutcome create(ThingCommand<?> command, Thing requested, Optional<JsonObject> inlinePolicy,
                          Optional<String> copyPolicyFrom, Optional<StoredThing> tombstone) {
        DittoHeaders headers = command.getDittoHeaders();
        ThingId thingId = command.getEntityId();
        JsonObject body = requested.toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial())
                .remove("_revision").remove("_created").remove("_modified").remove("_namespace")
                .remove("_metadata").remove("_policy").remove("_copyPolicyFrom");
        ThingResources.requireSameThingId(thingId, body, headers);
        // a create has no current entity: If-Match fails, If-None-Match: * passes
        ConditionalHeaders.check(headers, Optional::empty, false, ThingResources.PRECONDITIONS);
        AuthorizationContext subject = headers.getAuthorizationContext();
        Instant now = clock.instant();
        List<StoreChange> policyChanges;
        StoredPolicy policy;
        Optional<PolicyId> requestedPolicyId = requested.getPolicyEntityId();
        if (inlinePolicy.isPresent() || copyPolicyFrom.isPresent() || requestedPolicyId.isEmpty()) {
            PolicyId newPolicyId = requestedPolicyId.orElseGet(() -> PolicyId.of(thingId));
            Optional<StoredPolicy> previous = store.findPolicy(newPolicyId);
            if (previous.filter(p -> !p.deleted()).isPresent()) {
                throw ThingNotCreatableException.newBuilderForPolicyExisting(thingId, newPolicyId)
                        .dittoHeaders(headers).build();
            }
            JsonObject policyJson = inlinePolicy
                    .or(() -> copyPolicyFrom.map(source -> enforcement.copiedPolicy(source, subject, headers)))
                    .orElseGet(() -> defaultPolicy(subject))
                    .setValue("policyId", newPolicyId.toString());
            Policy parsed = PoliciesModelFactory.newPolicy(policyJson);
            if (!Access.somebodyCanWritePolicy(parsed)) {
                throw ThingNotCreatableException.fromMessage("The Thing's initial Policy grants nobody WRITE on 'policy:/'.",
                        "Add an entry granting WRITE on 'policy:/' to at least one subject.", headers);
            }
            policy = new StoredPolicy(newPolicyId, parsed.toJson(), previous.map(StoredPolicy::revision).orElse(0L) + 1,
                    now, now, false);
            policyChanges = List.of(new StoreChange.PutPolicy(policy));
        } else {
            policy = store.findPolicy(requestedPolicyId.get()).filter(p -> !p.deleted())
                    .orElseThrow(() -> ThingNotCreatableException.newBuilderForPolicyMissing(thingId,
                            requestedPolicyId.get()).dittoHeaders(headers).build());
            if (!enforcement.access(policy, subject).canWrite(JsonPointer.empty())) {
                throw ThingNotModifiableException.newBuilder(thingId).dittoHeaders(headers).build();
            }
            policyChanges = List.of();
        }
        JsonObject json = body.setValue("thingId", thingId.toString()).setValue("policyId", policy.policyId().toString());
        return events.created(thingId, json, tombstone, policy, policyChanges, now, headers);
    }

    /**
     * Ditto's default policy for a thing created without one: the creating subjects get READ and
     * WRITE on the thing, the policy and the thing's messages.
     */
    static JsonObject defaultPolicy(AuthorizationContext subject) {
        JsonObject grantAll = JsonFactory.newObjectBuilder()
                .set("grant", JsonFactory.newArrayBuilder().add("READ", "WRITE").build())
                .set("revoke", JsonFactory.newArray())
                .build();
        var subjects = JsonFactory.newObjectBuilder();
        for (AuthorizationSubject authorizationSubject : subject.getAuthorizationSubjects()) {
            subjects.set(JsonFactory.newKey(authorizationSubject.getId()),
                    JsonFactory.newObjectBuilder().set("type", "generated").build());
        }
        JsonObject entry = JsonFactory.newObjectBuilder()
                .set("subjects", subjects.build())
                .set("resources", JsonFactory.newObjectBuilder()
                        .set(JsonFactory.newKey("thing:/"), grantAll)
                        .set(JsonFactory.newKey("policy:/"), grantAll)
                        .set(JsonFactory.newKey("message:/"), grantAll)
                        .build())
                .build();
        return JsonFactory.newObjectBuilder()
                .set("entries", JsonFactory.newObjectBuilder().set("DEFAULT", entry).build())
                .build();
    }
}
