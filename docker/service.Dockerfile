# The one image recipe of the Twinworks services (analytics-service, sim-service, dashboard, device-adapters):
# they differ only in their Maven module and main class. Build from the repository root (the reactor is the
# build context), e.g.
#   docker build -f docker/service.Dockerfile --build-arg MODULE=analytics-service \
#     --build-arg MAIN_CLASS=io.twinworks.analytics.app.Main --build-arg PORT=8081 -t twinworks/analytics-service:0.1.0 .
# (helm/README.md lists the four command lines). Multi-stage: Maven on a JDK builds the module and collects its
# runtime classpath; the runtime stage is a JRE 17 with a non-root user (uid/gid 10001, as the Helm chart's
# securityContext expects) and writes nothing outside /tmp, so it runs with a read-only root file system (the
# chart mounts an emptyDir on /tmp). Arguments given to the container (Kubernetes `args`) go to the main class.
FROM maven:3.9-eclipse-temurin-17 AS build
ARG MODULE
WORKDIR /src
COPY . .
# install (into this build stage's own local repository) so that the second run, which lists the runtime classpath
# of the module alone, resolves the reactor modules it depends on (twin-core, ...).
RUN test -n "$MODULE" || { echo "--build-arg MODULE=<maven module> is required" >&2; exit 1; } \
 && mvn -B -q -DskipTests -pl "$MODULE" -am install \
 && mvn -B -q -pl "$MODULE" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib \
 && cp "$MODULE"/target/"$MODULE"-[0-9]*.jar /out/service.jar

FROM eclipse-temurin:17-jre
ARG MAIN_CLASS
ARG PORT=8080
RUN test -n "$MAIN_CLASS" || { echo "--build-arg MAIN_CLASS=<main class> is required" >&2; exit 1; } \
 && groupadd --system --gid 10001 twinworks \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin twinworks
ENV JAVA_MAIN_CLASS=${MAIN_CLASS}
WORKDIR /app
COPY --from=build /out/lib/ /app/lib/
COPY --from=build /out/service.jar /app/service.jar
# The one logging configuration of the Twinworks JVMs (console, TWINWORKS_LOG_LEVEL).
COPY cli/src/main/resources/logback.xml /app/logback.xml
USER 10001:10001
EXPOSE ${PORT}
# JVM temporary files and Vert.x' file cache go to /tmp, the only writable path. sh only expands the main class
# (an image build argument) and hands the container's arguments on ("$@").
ENTRYPOINT ["/bin/sh", "-c", "exec java -Djava.io.tmpdir=/tmp -Dvertx.cacheDirBase=/tmp/vertx-cache -Dlogback.configurationFile=/app/logback.xml -cp '/app/service.jar:/app/lib/*' \"$JAVA_MAIN_CLASS\" \"$@\"", "twinworks"]
