/**
 * The conformance suite every {@link io.kube4j.api.storage.Store} passes: extend
 * {@link io.kube4j.storage.conformance.StoreConformanceTest} (published in this module's test-jar).
 */
package io.kube4j.storage.conformance;
