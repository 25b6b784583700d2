# syntax=docker/dockerfile:1
# One image, two modes: the chart runs it with args ["operator"] and ["detector"].
#   docker build -t spacecrab/spacecrab:0.1.0 .

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY operator/pom.xml operator/
COPY operator/src operator/src
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

# distroless: a JRE and nothing else (no shell, no package manager); :nonroot runs as 65532
FROM gcr.io/distroless/java17-debian12:nonroot
LABEL org.opencontainers.image.title="spacecrab" \
      org.opencontainers.image.description="SpaceCrab: AWS honey tokens as Kubernetes objects (operator and detector)" \
      org.opencontainers.image.version="0.1.0"
COPY --from=build /src/operator/target/spacecrab.jar /app/spacecrab.jar
USER 65532:65532
# Heap from the container memory limit. An ENV, not a flag in ENTRYPOINT: the chart sets its own
# JAVA_TOOL_OPTIONS (jvm.maxRamPercentage), and a command-line flag would override it.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-jar", "/app/spacecrab.jar"]
