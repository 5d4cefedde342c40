/**
 * Leader election as client-go's {@code tools/leaderelection}: candidates race to hold a
 * {@code coordination.k8s.io/v1} Lease in {@code kube-system}, renew it every retry period, and a
 * standby takes over once the holder stops renewing for a lease duration, or at once when the
 * holder releases it on a graceful stop. Every write is an update with the resourceVersion read
 * (a 409 Conflict means another candidate won the round). The same record is mirrored, as the
 * legacy {@code control-plane.alpha.kubernetes.io/leader} annotation, on an Endpoints object of
 * the same name, so that {@code kubectl get endpoints -n kube-system NAME -o yaml} shows the holder.
 */
package io.kube4j.runtime.leaderelection;
