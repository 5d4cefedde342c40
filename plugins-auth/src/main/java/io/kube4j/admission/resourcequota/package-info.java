/**
 * The {@code ResourceQuota} admission plugin: refuses a create that would take a namespace past one of
 * its ResourceQuotas, with kube-apiserver's {@code exceeded quota} message.
 */
package io.kube4j.admission.resourcequota;
