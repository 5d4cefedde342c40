/**
 * kube-apiserver's defaulting of built-in types, applied to objects held as Jackson trees before they are
 * validated and stored. {@link io.kube4j.apiserver.defaults.Defaulter} is the entry point.
 */
package io.kube4j.apiserver.defaults;
