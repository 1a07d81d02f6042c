/**
 * JMH baseline of IPF 5.1.0 (Maven Central) on the ATNA Bridge corpus, kept in its own module so
 * its HAPI FHIR 8.2 / R4 stack never meets the product's HAPI 8.8 / R5 (see bench/README.md,
 * "Converter").
 */
package org.atnabridge.bench.ipf;
