/**
 * Label selectors ({@code metav1.LabelSelector}) parsed once and matched against label maps with
 * the semantics of {@code apimachinery/pkg/labels}, for the plugins that select pods by label
 * ({@code InterPodAffinity}, {@code PodTopologySpread}).
 */
package io.kube4j.scheduler.labels;
