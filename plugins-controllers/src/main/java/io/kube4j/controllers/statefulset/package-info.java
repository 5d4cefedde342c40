/** The StatefulSet controller: ordered, stably named pods, with ControllerRevisions for rolling updates and rollbacks. */
package io.kube4j.controllers.statefulset;
