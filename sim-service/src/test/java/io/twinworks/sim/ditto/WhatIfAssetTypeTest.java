package io.twinworks.sim.ditto;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which asset model a what-if runs: the Thing Model the twin's definition names, else its {@code type} attribute. */
class WhatIfAssetTypeTest {

    @Test
    void theDefinitionOfAProvisionedTwinNamesTheModel() {
        JsonObject thing = new JsonObject().put("definition", "https://twinworks.io/models/centrifugal-pump-1.0.0.tm.jsonld")
                .put("attributes", new JsonObject().put("tenant", "plant.a"));

        assertThat(WhatIfResponder.assetType(thing)).isEqualTo("centrifugal-pump");
    }

    @Test
    void withoutADefinitionTheTypeAttributeCounts() {
        assertThat(WhatIfResponder.assetType(new JsonObject().put("attributes", new JsonObject().put("type", "centrifugal-pump"))))
                .isEqualTo("centrifugal-pump");
    }

    @Test
    void anUnknownDefinitionFallsBackToTheAttributeAndNothingGivesNoType() {
        assertThat(WhatIfResponder.assetType(new JsonObject().put("definition", "org.example:thing:1")
                .put("attributes", new JsonObject().put("type", "centrifugal-pump")))).isEqualTo("centrifugal-pump");
        assertThat(WhatIfResponder.assetType(new JsonObject())).isNull();
        assertThat(WhatIfResponder.assetType(new JsonObject().put("definition", "https://twinworks.io/models/turbofan-engine-1.0.0.tm.jsonld")))
                .isEqualTo("turbofan-engine");
    }
}
