/**
 * {@code DefaultBinder}: the Bind plugin of kube-scheduler's default profile, posting a
 * {@code Binding} to the pod's {@code binding} subresource. It lives in the runtime, not in
 * {@code plugins-scheduler}, because every scheduler needs one bind plugin to work at all.
 */
package io.kube4j.runtime.scheduler.defaultbinder;
