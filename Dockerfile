# Build stage: the Maven wrapper fetches Maven and the dependencies.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -q -B dependency:go-offline
COPY src src
RUN ./mvnw -q -B -DskipTests package

# Run stage: a JRE and the jar, as a user without privileges.
FROM eclipse-temurin:17-jre
RUN groupadd --system gateway && useradd --system --gid gateway --home-dir /app gateway
WORKDIR /app
COPY --from=build /src/target/analytics-gateway.jar /app/analytics-gateway.jar
USER gateway
# 8080 is the public port; 8081 the operator's (health groups, prometheus), never to be published
# to the internet.
EXPOSE 8080 8081
# /bin/sh is dash here, which has no /dev/tcp; bash has. The main port's /readyz is what a load
# balancer sees: down while PostgreSQL is unreachable.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# A fixed heap (README, "JVM memory"): the process stays under 512 MB whatever the container's limit;
# the serial collector needs about 110 MB less native memory than G1 for the same heap, with young
# pauses as short on two cores (docs/benchmarks.md); the heap is touched at start, so RSS is at its
# bound from the first minute instead of creeping up to it; few malloc arenas keep native memory
# from growing with the number of threads.
ENV MALLOC_ARENA_MAX=2
# Add flags with JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-Xms256m", "-Xmx256m", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m", \
  "-Xss512k", "-XX:+UseSerialGC", "-XX:+AlwaysPreTouch", "-jar", "/app/analytics-gateway.jar"]
