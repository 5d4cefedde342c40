/**
 * Hosting {@link io.kube4j.api.controller.Controller} plugins, as controller-runtime's controller:
 * a {@link io.kube4j.runtime.controller.ControllerRunner} turns the events of the shared informers
 * a controller watches into keys on a rate-limited work queue, waits for those informers to sync,
 * then runs the controller's workers, requeueing with back-off on errors.
 */
package io.kube4j.runtime.controller;
