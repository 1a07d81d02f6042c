/**
 * JMH benchmarks, one {@code *Benchmarks} class per measured package, plus shared {@link
 * org.atnabridge.bench.BenchData}. Run them all with {@code java -cp "bench/target/classes:$(cat
 * bench/target/classpath.txt)" org.openjdk.jmh.Main} after {@code ./mvnw -pl bench -am package
 * dependency:build-classpath -Dmdep.outputFile=target/classpath.txt}.
 */
@NullMarked
package org.atnabridge.bench;

import org.jspecify.annotations.NullMarked;
