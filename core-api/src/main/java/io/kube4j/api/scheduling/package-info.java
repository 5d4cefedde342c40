/**
 * The scheduling framework: the extension points of kube-scheduler, as Java interfaces.
 *
 * <p>A pod goes through a <em>scheduling cycle</em>, one pod at a time:
 * {@link io.kube4j.api.scheduling.PreFilterPlugin PreFilter} →
 * {@link io.kube4j.api.scheduling.FilterPlugin Filter} (per node, in parallel) →
 * {@link io.kube4j.api.scheduling.PostFilterPlugin PostFilter} (only when no node fits: preemption) →
 * {@link io.kube4j.api.scheduling.PreScorePlugin PreScore} →
 * {@link io.kube4j.api.scheduling.ScorePlugin Score} (per node, in parallel, then normalize and weight) →
 * {@link io.kube4j.api.scheduling.ReservePlugin Reserve} →
 * {@link io.kube4j.api.scheduling.PermitPlugin Permit}; then a <em>binding cycle</em>, which may run
 * concurrently with the next pods' scheduling cycles:
 * {@link io.kube4j.api.scheduling.PreBindPlugin PreBind} →
 * {@link io.kube4j.api.scheduling.BindPlugin Bind} →
 * {@link io.kube4j.api.scheduling.PostBindPlugin PostBind}. Before a pod enters the active queue,
 * {@link io.kube4j.api.scheduling.PreEnqueuePlugin PreEnqueue} may hold it back; the queue is
 * ordered by the one {@link io.kube4j.api.scheduling.QueueSortPlugin QueueSort}, and
 * {@link io.kube4j.api.scheduling.EnqueueExtensions} tell which cluster events may make an
 * unschedulable pod schedulable again.
 *
 * <p>A plugin is one object (made by a {@link io.kube4j.api.scheduling.SchedulingPluginFactory})
 * that implements any number of points; the framework sorts plugins into points once, when the
 * profile is loaded, and checks that each profile entry names a point the plugin implements.
 *
 * <p>Outcomes are {@link io.kube4j.api.scheduling.Status} values. An exception thrown by a plugin
 * means a bug or broken infrastructure: the framework turns it into an {@code ERROR} status that
 * names the plugin, and the pod is retried with back-off.
 */
package io.kube4j.api.scheduling;
