package io.twinworks.connections;

import org.eclipse.ditto.connectivity.model.Connection;
import org.eclipse.ditto.connectivity.model.ConnectionType;
import org.eclipse.ditto.connectivity.model.ConnectivityModelFactory;
import org.eclipse.ditto.connectivity.model.Topic;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HonoConnectionTemplateTest {

    private static final HonoConnectionParameters PLANT_A = new HonoConnectionParameters("hono-plant-a", "plant.a",
            "plant.a", "kafka:9092", "pre-authenticated:hono-connection", "integration:twinworks-analytics",
            "twinworks.twin-events");

    private final HonoConnectionTemplate template = HonoConnectionTemplate.fromClasspath();

    @Test
    void renderedConnectionParsesWithDittosConnectivityModel() {
        Connection connection = ConnectivityModelFactory.connectionFromJson(template.render(PLANT_A));
        assertThat(connection.getId().toString()).isEqualTo("hono-plant-a");
        assertThat((Object) connection.getConnectionType()).isEqualTo(ConnectionType.KAFKA);
        assertThat(connection.getSources()).flatExtracting(source -> source.getAddresses())
                .containsExactlyInAnyOrder("hono.telemetry.plant.a", "hono.event.plant.a", "hono.command_response.plant.a");
        assertThat(connection.getSources()).allSatisfy(source -> assertThat(source.getEnforcement()).isPresent());
        assertThat(connection.getSources()).filteredOn(source -> !source.getAddresses().contains("hono.command_response.plant.a"))
                .allSatisfy(source -> assertThat(source.getPayloadMapping().getMappings()).containsExactly("Ditto"));
        assertThat(connection.getSources().get(0).getReplyTarget()).hasValueSatisfying(reply ->
                assertThat(reply.getAddress()).isEqualTo("hono.command.plant.a/{{ thing:id }}"));
        assertThat(connection.getTargets()).anySatisfy(target -> {
            assertThat(target.getAddress()).isEqualTo("twinworks.twin-events/{{ thing:id }}");
            assertThat(target.getTopics()).extracting(t -> t.getTopic()).containsExactly(Topic.TWIN_EVENTS);
            assertThat(target.getAuthorizationContext().getFirstAuthorizationSubject().orElseThrow().getId())
                    .isEqualTo("integration:twinworks-analytics");
        });
        assertThat(connection.getTargets()).anySatisfy(target -> {
            assertThat(target.getAddress()).isEqualTo("hono.command.plant.a/{{ thing:id }}");
            assertThat(target.getTopics()).extracting(t -> t.getTopic()).containsExactlyInAnyOrder(Topic.LIVE_COMMANDS, Topic.LIVE_MESSAGES);
            assertThat(target.getTopics()).allSatisfy(t -> assertThat(t.getNamespaces()).containsExactly("plant.a"));
        });
        assertThat(HonoConnectionTemplate.problems(template.render(PLANT_A))).isEmpty();
    }

    @Test
    void commandsUseTheRawMessageContractOnTheLiveTargetAndTheCommandResponseSource() {
        Connection connection = ConnectivityModelFactory.connectionFromJson(template.render(PLANT_A));
        var mapping = connection.getPayloadMappingDefinition().getDefinitions().get("honoCommandPayload");
        assertThat(mapping.getMappingEngine()).isEqualTo("RawMessage");
        JsonObject incoming = JsonFactory.newObject(mapping.getOptionsAsJson().getValue("incomingMessageHeaders")
                .orElseThrow().toString());
        // the device's response: thing = Hono's device_id, status = Hono's status header, its own content type
        assertThat(incoming.getValue("ditto-message-thing-id").orElseThrow().asString()).isEqualTo("{{ header:device_id }}");
        assertThat(incoming.getValue("status").orElseThrow().asString()).isEqualTo("{{ header:status }}");
        assertThat(incoming.getValue("content-type").orElseThrow().asString()).startsWith("{{ header:content-type");
        assertThat(connection.getSources()).filteredOn(source -> source.getAddresses().contains("hono.command_response.plant.a"))
                .singleElement().satisfies(source -> {
                    assertThat(source.getPayloadMapping().getMappings()).containsExactly("honoCommandPayload");
                    assertThat(source.getHeaderMapping().getMapping()).containsKeys("correlation-id", "status");
                });
        assertThat(connection.getTargets()).filteredOn(target -> target.getAddress().startsWith("hono.command."))
                .singleElement().satisfies(target -> {
                    assertThat(target.getPayloadMapping().getMappings()).containsExactly("honoCommandPayload");
                    // Hono's command headers; the content type is the message's own (RawMessage sets it)
                    assertThat(target.getHeaderMapping().getMapping())
                            .containsKeys("device_id", "subject", "correlation-id", "response-required")
                            .doesNotContainKey("content-type");
                });
    }

    @Test
    void liveMessagesWithoutRawMessageMappingAreAProblem() {
        String text = template.render(PLANT_A).toString()
                .replace("\"payloadMapping\":[\"honoCommandPayload\"]}", "\"payloadMapping\":[\"Ditto\"]}");
        assertThat(HonoConnectionTemplate.problems(JsonFactory.newObject(text)))
                .anyMatch(p -> p.contains("without a RawMessage mapping"));
    }

    @Test
    void aSourceWithoutEnforcementIsAProblem() {
        JsonObject connection = template.render(PLANT_A);
        var sources = connection.getValue("sources").orElseThrow().asArray();
        JsonObject first = sources.get(0).orElseThrow().asObject().remove("enforcement");
        JsonObject changed = connection.setValue("sources", JsonFactory.newArrayBuilder().add(first).build());
        assertThat(HonoConnectionTemplate.problems(changed)).anyMatch(p -> p.contains("has no enforcement"));
    }

    @Test
    void aConnectionWithoutTwinEventsTargetIsAProblem() {
        JsonObject connection = template.render(PLANT_A).setValue("targets", JsonFactory.newArray());
        assertThat(HonoConnectionTemplate.problems(connection)).anyMatch(p -> p.contains("twin events keyed by thing ID"));
    }

    @Test
    void somethingDittosModelRejectsIsReportedWithItsMessage() {
        JsonObject connection = template.render(PLANT_A).setValue("connectionType", "carrier-pigeon");
        assertThat(HonoConnectionTemplate.problems(connection)).singleElement().asString()
                .startsWith("Ditto's connectivity model rejects it");
    }

    @Test
    void unknownPlaceholderKindsAndFunctionsAreProblems() {
        String text = template.render(PLANT_A).toString()
                .replace("{{ header:correlation-id }}", "{{ haeder:correlation-id }}")
                .replace("fn:default(topic:action-subject) }}\"", "fn:dflt(topic:action-subject) }}\"");
        assertThat(HonoConnectionTemplate.problems(JsonFactory.newObject(text)))
                .anyMatch(p -> p.contains("unknown kind 'haeder'"))
                .anyMatch(p -> p.contains("unknown function fn:dflt"));
    }

    @Test
    void anUnknownTemplateVariableFailsRendering() {
        assertThatThrownBy(() -> HonoConnectionTemplate.of("{\"id\":\"${connectionId}\",\"uri\":\"${kafkaUrl}\"}").render(PLANT_A))
                .hasMessageContaining("${kafkaUrl}");
    }

    @Test
    void parameterValuesAreEscapedAndChecked() {
        assertThatThrownBy(() -> new HonoConnectionParameters("bad id", "t", "t", "k:9092", "a:b", "c:d", "topic"))
                .hasMessageContaining("connectionId");
        assertThatThrownBy(() -> new HonoConnectionParameters("id", "t", "t", "k:9092", "a:b", "c:d", "no/slash"))
                .hasMessageContaining("twinEventsTopic");
        JsonObject rendered = template.render(new HonoConnectionParameters("hono-x", "x", "x", "k:9092",
                "pre-authenticated:a\"b", "c:d", "events"));
        assertThat(rendered.getValue("sources").orElseThrow().asArray().get(0).orElseThrow().asObject().getValue("authorizationContext").orElseThrow().asArray().get(0).orElseThrow().asString()).isEqualTo("pre-authenticated:a\"b");
    }

    @Test
    void theHonoTypeConnectionReadsHonosOwnAddressesWithDeviceIdEnforcementAndTheTenant() {
        JsonObject connection = HonoConnectionTemplate.fromClasspath(HonoConnectionType.HONO).render(PLANT_A);

        assertThat(connection.getValue("connectionType").orElseThrow().asString()).isEqualTo("hono");
        assertThat(connection.getValue("specificConfig/honoTenantId").orElseThrow().asString()).isEqualTo("plant.a");
        assertThat(connection.getValue("uri")).as("Ditto takes Kafka from its own Hono settings").isEmpty();
        assertThat(connection.getValue("sources").orElseThrow().toString())
                .contains("\"telemetry\"", "\"event\"", "\"command_response\"", "{{ header:device_id }}");
        assertThat(connection.getValue("targets").orElseThrow().asArray()).singleElement()
                .satisfies(target -> assertThat(target.asObject().getValue("address").orElseThrow().asString()).isEqualTo("command"));
        assertThat(HonoConnectionTemplate.problems(connection)).isEmpty();
    }

    @Test
    void aHonoTypeSourceOnAKafkaTopicAndATargetElsewhereAreProblems() {
        JsonObject connection = HonoConnectionTemplate.fromClasspath(HonoConnectionType.HONO).render(PLANT_A);
        String text = connection.toString().replace("\"telemetry\"", "\"hono.telemetry.plant.a\"")
                .replace("\"address\":\"command\",\"topics\"", "\"address\":\"twin-events\",\"topics\"");

        assertThat(HonoConnectionTemplate.problems(JsonFactory.newObject(text)))
                .anyMatch(p -> p.contains("a hono connection reads only"))
                .anyMatch(p -> p.contains("a hono connection sends only to 'command'"));
    }

    @Test
    void aHonoTypeCommandPathWithoutTheRawMessageMappingIsAProblem() {
        String text = HonoConnectionTemplate.fromClasspath(HonoConnectionType.HONO).render(PLANT_A).toString()
                .replace("[\"honoCommandPayload\"]", "[\"Ditto\"]");

        assertThat(HonoConnectionTemplate.problems(JsonFactory.newObject(text)))
                .anyMatch(p -> p.contains("source [\"command_response\"] must map with a RawMessage mapping"))
                .anyMatch(p -> p.contains("target 'command' must map with a RawMessage mapping"));
    }

    @Test
    void aHonoTypeSourceWithoutEnforcementOrDittoMappingIsAProblem() {
        String text = HonoConnectionTemplate.fromClasspath(HonoConnectionType.HONO).render(PLANT_A).toString()
                .replace("{{ header:device_id }}", "{{ header:subject }}").replace("[\"Ditto\"]", "[\"JavaScript\"]");

        assertThat(HonoConnectionTemplate.problems(JsonFactory.newObject(text)))
                .anyMatch(p -> p.contains("must enforce header:device_id"))
                .anyMatch(p -> p.contains("must use the Ditto payload mapping"));
    }

    @Test
    void connectionTypesAreNamedAsDittoNamesThem() {
        assertThat(HonoConnectionType.of("HONO")).isEqualTo(HonoConnectionType.HONO);
        assertThat(HonoConnectionType.of("kafka")).isEqualTo(HonoConnectionType.KAFKA);
        assertThatThrownBy(() -> HonoConnectionType.of("amqp")).hasMessageContaining("neither kafka nor hono");
    }
}
