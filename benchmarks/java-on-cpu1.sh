#!/bin/sh
# The JVM JMH forks for its benchmarks, pinned to the server's CPU (the harness itself runs on CPU 0).
exec taskset -c 1 "${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java" "$@"
