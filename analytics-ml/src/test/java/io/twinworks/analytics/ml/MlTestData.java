package io.twinworks.analytics.ml;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The C-MAPSS excerpt in the test resources (units 1-4 of train_FD001; origin in its README). */
final class MlTestData {

    private MlTestData() {
    }

    static Path excerpt() {
        try {
            return Path.of(MlTestData.class.getClassLoader().getResource("cmapss/train_FD001-units1-4.txt").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
