/**
 * The controller-manager component: the {@link io.kube4j.api.controller.Controller} plugins enabled
 * by a profile's {@code controllerManager:} section, run leader-elected on shared informers, as
 * kube-controller-manager.
 */
package io.kube4j.runtime.controllermanager;
