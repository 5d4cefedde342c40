/** The Deployment controller: ReplicaSets per template, rolling updates and Recreate, revisions and conditions. */
package io.kube4j.controllers.deployment;
