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
            assertThat(source.getPayloadMapping().getMappings()).containsExactly("Ditto");
        });
        assertThat(connection.getTargets()).flatExtracting(target -> target.getTopics().stream().map(t -> t.getTopic()).toList())
                .contains(Topic.LIVE_COMMANDS, Topic.LIVE_MESSAGES, Topic.TWIN_EVENTS);
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
