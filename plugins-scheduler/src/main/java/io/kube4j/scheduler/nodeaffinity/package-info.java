/**
 * The {@code NodeAffinity} plugin: a pod runs only on nodes matching its {@code nodeSelector}
 * and required node affinity (Filter; PreFilter narrows the candidates when the affinity names
 * nodes by {@code metadata.name}), and prefers nodes matching its preferred terms by their
 * weights (Score, normalized). The args' {@code addedAffinity} applies to every pod of the profile.
 */
package io.kube4j.scheduler.nodeaffinity;
