/**
 * An example custom scheduling plugin: {@code PreferLabeledNodes}, a Score plugin that depends on
 * {@code core-api} only and is loaded from the samples jar ({@code --plugins-dir samples/target}).
 * {@code samples/profiles/custom-scheduler.yaml} names it; {@code docs/scheduler.md} walks through it.
 */
package io.kube4j.samples.scheduling;
