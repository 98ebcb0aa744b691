package io.twinworks.core.http;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import static org.assertj.core.api.Assertions.assertThat;

class HttpErrorLogLevelTest {

    @Test
    void aReadThatFindsNothingIsLoggedAtDebug() {
        assertThat(HttpErrorLogLevel.of("GET", 404)).isEqualTo(Level.DEBUG);
        assertThat(HttpErrorLogLevel.of("HEAD", 404)).isEqualTo(Level.DEBUG);
    }

    @Test
    void aWriteToSomethingMissingIsLoggedAtInfo() {
        assertThat(HttpErrorLogLevel.of("PUT", 404)).isEqualTo(Level.INFO);
        assertThat(HttpErrorLogLevel.of("DELETE", 404)).isEqualTo(Level.INFO);
    }

    @Test
    void badInputIsLoggedAtInfo() {
        assertThat(HttpErrorLogLevel.of("GET", 400)).isEqualTo(Level.INFO);
        assertThat(HttpErrorLogLevel.of("POST", 413)).isEqualTo(Level.INFO);
        assertThat(HttpErrorLogLevel.of("GET", 403)).isEqualTo(Level.INFO);
    }

    @Test
    void aChallengeToARequestWithoutCredentialsIsLoggedAtDebugButWrongCredentialsAtInfo() {
        assertThat(HttpErrorLogLevel.of("GET", 401, false)).isEqualTo(Level.DEBUG);
        assertThat(HttpErrorLogLevel.of("GET", 401, true)).isEqualTo(Level.INFO);
        assertThat(HttpErrorLogLevel.of("GET", 403, false)).isEqualTo(Level.INFO);
    }

    @Test
    void serverFaultsAreLoggedAtError() {
        assertThat(HttpErrorLogLevel.of("GET", 500)).isEqualTo(Level.ERROR);
        assertThat(HttpErrorLogLevel.of("POST", 503)).isEqualTo(Level.ERROR);
    }
}
