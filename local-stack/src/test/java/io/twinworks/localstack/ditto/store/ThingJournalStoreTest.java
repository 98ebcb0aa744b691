package io.twinworks.localstack.ditto.store;

import io.twinworks.localstack.ditto.model.FeatureHistoryEntry;
import io.twinworks.localstack.ditto.model.StoreChange;
import io.twinworks.localstack.ditto.model.StoredThing;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonMergePatch;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The twin store records merges as their patches and the whole thing only at snapshots: what it gives back — the
 * current thing after a reopen, every answerable historical revision, the full scan — is exactly the state each
 * change produced, and the journal stays bounded.
 */
class ThingJournalStoreTest {

    private static final ThingId THING = ThingId.of("plant.j:pump-1");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String[] PATHS = {
            "/features/vibration/properties", "/features/vibration/properties/rms", "/features/flow",
            "/features/predictions/properties/baselines", "/attributes", "/attributes/location/hall", "/features",
            "/attributes/tags"};

    @TempDir
    Path stateDir;

    private static JsonObject initial() {
        return JsonObject.of("{\"thingId\":\"" + THING + "\",\"policyId\":\"" + THING + "\",\"attributes\":{\"site\":"
                + "\"a\"},\"features\":{\"vibration\":{\"properties\":{\"rms\":1.0,\"seq\":0}}}}");
    }

    private static JsonValue randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 1 ? 6 : 8)) {
            case 0 -> JsonValue.nullLiteral();
            case 1 -> JsonValue.of(random.nextInt(1000));
            case 2 -> JsonValue.of("s" + random.nextInt(50));
            case 3 -> JsonArray.of(random.nextInt(5), "x");
            case 4 -> JsonValue.of(random.nextDouble());
            case 5 -> JsonValue.of(random.nextBoolean());
            default -> {
                JsonObject object = JsonObject.empty();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object = object.setValue("k" + random.nextInt(6), randomValue(random, depth + 1));
                }
                yield object;
            }
        };
    }

    /** Applies {@code count} seeded changes (mostly merges, some whole-thing writes); returns every state, index = revision. */
    private static List<StoredThing> writeRandomChanges(TwinStore store, long seed, int count) {
        Random random = new Random(seed);
        List<StoredThing> states = new ArrayList<>();
        states.add(null);
        StoredThing created = new StoredThing(THING, initial(), 1, T0, T0, false);
        store.commit(List.of(new StoreChange.PutThing(created)));
        states.add(created);
        while (states.size() <= count) {
            StoredThing before = states.get(states.size() - 1);
            long revision = before.revision() + 1;
            Instant modified = T0.plusMillis(revision * 1000 + random.nextInt(999));
            StoreChange change;
            StoredThing after;
            if (random.nextInt(20) == 0) {
                after = new StoredThing(THING, before.json().setValue(JsonPointer.of("/attributes/rewritten"), JsonValue.of(revision)), revision,
                        T0, modified, false);
                change = new StoreChange.PutThing(after);
            } else {
                JsonPointer path = JsonPointer.of(PATHS[random.nextInt(PATHS.length)]);
                JsonValue patch = randomValue(random, 0);
                JsonValue merged = JsonMergePatch.of(path, patch).applyOn(before.json());
                if (!merged.isObject() || !merged.asObject().getValue("thingId").isPresent()) {
                    continue;
                }
                after = new StoredThing(THING, merged.asObject(), revision, T0, modified, false);
                change = new StoreChange.MergeThing(after, path, patch);
            }
            store.commit(List.of(change));
            states.add(after);
        }
        return states;
    }

    /** {@link #writeRandomChanges} into a store at {@code dir} that is closed afterwards. */
    private static List<StoredThing> writtenAndClosed(Path dir, int depth, long seed, int count) {
        try (TwinStore store = TwinStore.open(dir, depth)) {
            return writeRandomChanges(store, seed, count);
        }
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve(TwinStore.FILE_NAME));
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = database(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void aReopenedStoreGivesTheThingEveryMergeMade() {
        List<StoredThing> states = writtenAndClosed(stateDir, 1000, 7, 300);
        try (TwinStore reopened = TwinStore.open(stateDir, 1000)) {
            StoredThing last = states.get(states.size() - 1);
            StoredThing read = reopened.findThing(THING).orElseThrow();
            assertThat(read).isEqualTo(last);
            assertThat(read.json().toString()).as("field order too").isEqualTo(last.json().toString());
        }
    }

    @Test
    void everyAnswerableRevisionIsTheStateItsChangeMade() {
        for (long seed = 1; seed <= 5; seed++) {
            List<StoredThing> states = writtenAndClosed(stateDir.resolve("s" + seed), 150, seed, 260);
            try (TwinStore reopened = TwinStore.open(stateDir.resolve("s" + seed), 150)) {
                long current = states.size() - 1;
                for (long revision = 1; revision <= current; revision++) {
                    if (revision > current - 150) {
                        assertThat(reopened.thingAt(THING, revision, null)).as("seed %d revision %d", seed, revision)
                                .contains(states.get((int) revision));
                    } else {
                        assertThat(reopened.thingAt(THING, revision, null)).as("seed %d revision %d beyond the depth",
                                seed, revision).isEmpty();
                    }
                }
                StoredThing someRevision = states.get((int) current - 70);
                assertThat(reopened.thingAt(THING, null, someRevision.modified().plusNanos(1)))
                        .as("by time: the newest modified strictly before").contains(someRevision);
            }
        }
    }

    @Test
    void theJournalHoldsAtMostDepthPlusOneSnapshotIntervalOfRows() throws SQLException {
        writtenAndClosed(stateDir, 100, 3, 700);

        assertThat(count("SELECT count(*) FROM thing_history"))
                .isGreaterThanOrEqualTo(100).isLessThanOrEqualTo(100 + ThingJournal.SNAPSHOT_INTERVAL + 1);
    }

    @Test
    void theHistoryOfARangeIsWhatEachAnswerableRevisionChangedOfTheFeatures() {
        for (long seed = 1; seed <= 4; seed++) {
            List<StoredThing> states;
            try (TwinStore store = TwinStore.open(stateDir.resolve("h" + seed), 120)) {
                states = writeRandomChanges(store, seed, 300);
                Random random = new Random(seed);
                for (int trial = 0; trial < 20; trial++) {
                    long from = 1 + random.nextInt(320);
                    long to = from + random.nextInt(150);
                    List<FeatureHistoryEntry> expected = new ArrayList<>();
                    for (long revision = Math.max(from, 300 - 120 + 1); revision <= Math.min(to, 300); revision++) {
                        StoredThing after = states.get((int) revision);
                        expected.addAll(FeatureHistoryEntry.changes(THING, revision, after.modified(),
                                states.get((int) revision - 1).json(), after.json()));
                    }

                    assertThat(store.thingHistory(THING, from, to, null, null))
                            .as("seed %d, revisions %d to %d", seed, from, to).isEqualTo(expected);
                }
                StoredThing newest = states.get(300);
                assertThat(store.thingHistory(THING, 1, 300, newest.modified(), null))
                        .as("from the newest revision's time on").allMatch(entry -> entry.revision() == 300);
                assertThat(store.thingHistory(THING, 1, 300, null, states.get(180).modified().minusNanos(1)))
                        .as("before the oldest answerable revision's time").isEmpty();
            }
        }
    }

    @Test
    void withoutHistoryTheHistoryIsEmpty() {
        try (TwinStore store = TwinStore.open(stateDir, 0)) {
            writeRandomChanges(store, 2, 30);

            assertThat(store.thingHistory(THING, 1, 30, null, null)).isEmpty();
            assertThat(store.thingHistory(ThingId.of("plant.j:never"), 1, 30, null, null)).isEmpty();
        }
    }

    @Test
    void withoutHistoryTheJournalHoldsOnlyWhatTheCurrentStateNeeds() throws SQLException {
        List<StoredThing> states;
        try (TwinStore store = TwinStore.open(stateDir, 0)) {
            states = writeRandomChanges(store, 4, 400);
            assertThat(store.thingAt(THING, 399L, null)).isEmpty();
        }

        assertThat(count("SELECT count(*) FROM thing_history")).isLessThanOrEqualTo(ThingJournal.SNAPSHOT_INTERVAL);
        try (TwinStore reopened = TwinStore.open(stateDir, 0)) {
            assertThat(reopened.findThing(THING)).contains(states.get(states.size() - 1));
        }
    }

    @Test
    void aMergeRewritesTheThingsRowOnlyAtASnapshotRevision() throws SQLException {
        try (TwinStore store = TwinStore.open(stateDir, 1000)) {
            List<StoredThing> states = writeRandomChanges(store, 11, 1);
            StoredThing before = states.get(1);
            for (long revision = 2; revision <= ThingJournal.SNAPSHOT_INTERVAL + 5; revision++) {
                JsonValue patch = JsonObject.of("{\"rms\":" + revision + "}");
                JsonPointer path = JsonPointer.of("/features/vibration/properties");
                before = new StoredThing(THING, JsonMergePatch.of(path, patch).applyOn(before.json()).asObject(),
                        revision, T0, T0.plusSeconds(revision), false);
                store.commit(List.of(new StoreChange.MergeThing(before, path, patch)));
            }
        }

        assertThat(count("SELECT revision FROM things")).isEqualTo(ThingJournal.SNAPSHOT_INTERVAL);
        assertThat(count("SELECT count(*) FROM thing_history WHERE merge_path IS NOT NULL"))
                .isEqualTo(ThingJournal.SNAPSHOT_INTERVAL + 5 - 2);
    }

    @Test
    void theFullScanGivesThingsWithTheirMergesReplayed() {
        List<StoredThing> states = writtenAndClosed(stateDir, 1000, 21, 90);
        try (TwinStore reopened = TwinStore.open(stateDir, 1000)) {
            assertThat(reopened.allThings()).containsExactly(states.get(states.size() - 1));
        }
    }

    @Test
    void aGapInTheJournalFailsTheReadInsteadOfGivingAWrongThing() throws SQLException {
        writtenAndClosed(stateDir, 1000, 5, 40);
        execute("DELETE FROM thing_history WHERE revision = (SELECT max(revision) - 3 FROM thing_history"
                + " WHERE merge_path IS NOT NULL)");

        try (TwinStore reopened = TwinStore.open(stateDir, 1000)) {
            assertThatThrownBy(() -> reopened.findThing(THING)).isInstanceOf(TwinStoreException.class)
                    .hasMessageContaining(THING.toString());
        }
    }

    @Test
    void aRolledBackMergeIsNeitherCachedNorReplayed() {
        List<StoredThing> states;
        try (TwinStore store = TwinStore.open(stateDir, 1000)) {
            states = writeRandomChanges(store, 8, 10);
            StoredThing last = states.get(10);
            JsonPointer path = JsonPointer.of("/attributes/site");
            StoredThing merged = new StoredThing(THING, JsonMergePatch.of(path, JsonValue.of("b")).applyOn(last.json()).asObject(), 11, T0,
                    T0.plusSeconds(99), false);
            assertThatThrownBy(() -> store.transaction(() -> {
                store.stage(List.of(new StoreChange.MergeThing(merged, path, JsonValue.of("b"))));
                throw new IllegalStateException("refused after staging");
            })).hasMessage("refused after staging");

            assertThat(store.findThing(THING)).contains(last);
        }
        try (TwinStore reopened = TwinStore.open(stateDir, 1000)) {
            assertThat(reopened.findThing(THING)).contains(states.get(10));
        }
    }

    @Test
    void aTableOfTheEarlierVersionIsReadAndExtended() throws SQLException {
        execute("CREATE TABLE thing_history (thing_id TEXT NOT NULL, revision INTEGER NOT NULL, json TEXT NOT NULL,"
                + " created TEXT NOT NULL, modified TEXT NOT NULL, deleted INTEGER NOT NULL,"
                + " PRIMARY KEY (thing_id, revision))");
        execute("INSERT INTO thing_history VALUES ('" + THING + "', 1, '" + initial() + "', '" + T0 + "', '" + T0
                + "', 0)");
        execute("CREATE TABLE things (thing_id TEXT PRIMARY KEY, json TEXT NOT NULL, revision INTEGER NOT NULL,"
                + " created TEXT NOT NULL, modified TEXT NOT NULL, deleted INTEGER NOT NULL)");
        execute("INSERT INTO things VALUES ('" + THING + "', '" + initial() + "', 1, '" + T0 + "', '" + T0 + "', 0)");

        try (TwinStore store = TwinStore.open(stateDir, 1000)) {
            StoredThing first = store.findThing(THING).orElseThrow();
            JsonPointer path = JsonPointer.of("/attributes/site");
            StoredThing merged = new StoredThing(THING, JsonMergePatch.of(path, JsonValue.of("b")).applyOn(first.json()).asObject(), 2, T0,
                    T0.plusSeconds(2), false);
            store.commit(List.of(new StoreChange.MergeThing(merged, path, JsonValue.of("b"))));

            assertThat(store.thingAt(THING, 1L, null)).contains(first);
            assertThat(store.thingAt(THING, 2L, null)).contains(merged);
        }
        try (TwinStore reopened = TwinStore.open(stateDir, 1000)) {
            assertThat(reopened.findThing(THING).orElseThrow().json().getValue("attributes/site"))
                    .contains(JsonValue.of("b"));
        }
    }
}
