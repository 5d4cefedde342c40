/** The {@code NodeName} filter: a pod with {@code spec.nodeName} fits only the node of that name. */
package io.kube4j.scheduler.nodename;
