/** The DaemonSet controller: one pod per eligible node, placed by the default scheduler through node affinity. */
package io.kube4j.controllers.daemonset;
