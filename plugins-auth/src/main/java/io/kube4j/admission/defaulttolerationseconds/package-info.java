/**
 * The {@code DefaultTolerationSeconds} admission plugin: a new pod that does not tolerate the
 * {@code node.kubernetes.io/not-ready} and {@code unreachable} NoExecute taints gets tolerations of
 * them for a limited time (300 s), so that its pods leave a dead node after five minutes.
 */
package io.kube4j.admission.defaulttolerationseconds;
