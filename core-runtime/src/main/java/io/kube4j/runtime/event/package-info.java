/**
 * Recording core/v1 Events through the API server, as client-go's {@code tools/record}
 * broadcaster and sink: recording returns at once, a writer thread creates the Event, and a
 * repeat of the same event (same object, type, reason and message) updates the existing Event's
 * {@code count} and {@code lastTimestamp} instead of creating another.
 */
package io.kube4j.runtime.event;
