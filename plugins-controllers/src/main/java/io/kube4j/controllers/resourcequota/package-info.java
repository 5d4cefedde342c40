/**
 * The resource quota controller: keeps each ResourceQuota's {@code status.hard} and {@code status.used}
 * (object counts and the compute requests and limits of the namespace's pods) current.
 */
package io.kube4j.controllers.resourcequota;
