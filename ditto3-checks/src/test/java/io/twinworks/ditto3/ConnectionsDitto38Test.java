package io.twinworks.ditto3;

import org.eclipse.ditto.connectivity.model.Connection;
import org.eclipse.ditto.connectivity.model.ConnectionType;
import org.eclipse.ditto.connectivity.model.ConnectivityModelFactory;
import org.eclipse.ditto.connectivity.model.Source;
import org.eclipse.ditto.connectivity.model.Topic;
import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both connection types provisioning can create, parsed by Ditto 3.8's connectivity model. */
class ConnectionsDitto38Test {

    private static Connection parse(String file) {
        return ConnectivityModelFactory.connectionFromJson(Artifacts.one("connections/" + file));
    }

    @Test
    void theKafkaConnectionIsAKafkaConnectionOnHonosTopicsWithDeviceIdEnforcement() {
        Connection connection = parse("kafka.json");

        assertThat((Object) connection.getConnectionType()).isEqualTo(ConnectionType.KAFKA);
        assertThat(connection.getSources()).flatExtracting(Source::getAddresses)
                .containsExactlyInAnyOrder("hono.telemetry.plant.a", "hono.event.plant.a", "hono.command_response.plant.a");
        assertThat(connection.getSources()).allSatisfy(source -> {
            assertThat(source.getEnforcement()).hasValueSatisfying(enforcement ->
                    assertThat(enforcement.getInput()).isEqualTo("{{ header:device_id }}"));
            boolean commandResponses = source.getAddresses().contains("hono.command_response.plant.a");
            assertThat(source.getPayloadMapping().getMappings())
                    .containsExactly(commandResponses ? "honoCommandPayload" : "Ditto");
        });
        assertThat(connection.getTargets()).flatExtracting(target -> target.getTopics().stream().map(t -> t.getTopic()).toList())
                .contains(Topic.LIVE_COMMANDS, Topic.LIVE_MESSAGES, Topic.TWIN_EVENTS);
        assertCommandsTravelAsRawMessages(connection);
    }

    /**
     * The command contract both connection types share: live messages/commands reach the device as the
     * bare message payload, and its answer comes back as the message response, through one mapping
     * definition on Ditto's RawMessage engine used by the command target and the command-response source.
     */
    private static void assertCommandsTravelAsRawMessages(Connection connection) {
        assertThat(connection.getPayloadMappingDefinition().getDefinitions()).hasEntrySatisfying("honoCommandPayload",
                mapping -> assertThat(mapping.getMappingEngine()).isEqualTo("RawMessage"));
        assertThat(connection.getSources()).filteredOn(source -> source.getAddresses().stream()
                        .anyMatch(address -> address.contains("command_response")))
                .singleElement().satisfies(source ->
                        assertThat(source.getPayloadMapping().getMappings()).containsExactly("honoCommandPayload"));
        assertThat(connection.getTargets()).filteredOn(target -> target.getTopics().stream()
                        .anyMatch(topic -> topic.getTopic() == Topic.LIVE_MESSAGES))
                .singleElement().satisfies(target ->
                        assertThat(target.getPayloadMapping().getMappings()).containsExactly("honoCommandPayload"));
    }

    @Test
    void theHonoConnectionIsDittosHonoTypeOnHonosOwnAddressesForTheTenant() {
        Connection connection = parse("hono.json");

        assertThat((Object) connection.getConnectionType()).isEqualTo(ConnectionType.HONO);
        assertThat(connection.getSpecificConfig()).containsEntry("honoTenantId", "plant.a");
        assertThat(connection.getSources()).flatExtracting(Source::getAddresses)
                .containsExactlyInAnyOrder("telemetry", "event", "command_response");
        assertThat(connection.getSources().get(0).getReplyTarget()).hasValueSatisfying(reply ->
                assertThat(reply.getAddress()).isEqualTo("command"));
        assertThat(connection.getTargets()).singleElement().satisfies(target -> {
            assertThat(target.getAddress()).isEqualTo("command");
            assertThat(target.getTopics()).extracting(t -> t.getTopic()).containsExactlyInAnyOrder(Topic.LIVE_COMMANDS, Topic.LIVE_MESSAGES);
        });
        assertCommandsTravelAsRawMessages(connection);
    }

    @Test
    void bothParseBackToTheSameJsonDittoWouldStore() {
        for (String file : new String[]{"kafka.json", "hono.json"}) {
            Connection connection = parse(file);
            assertThat(ConnectivityModelFactory.connectionFromJson(connection.toJson())).as(file).isEqualTo(connection);
        }
    }

    @Test
    void dittosModelRejectsAConnectionTypeItDoesNotKnow() {
        JsonObject unknownType = Artifacts.one("connections/hono.json").setValue("connectionType", "carrier-pigeon");

        assertThatThrownBy(() -> ConnectivityModelFactory.connectionFromJson(unknownType)).isNotNull();
    }
}
