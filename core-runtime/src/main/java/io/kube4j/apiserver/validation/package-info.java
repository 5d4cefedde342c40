/**
 * kube-apiserver's validation of built-in types held as Jackson trees, with kube's field paths and messages so that
 * kubectl shows the errors it would show against a real cluster. {@link io.kube4j.apiserver.validation.Validator}
 * is the entry point.
 */
package io.kube4j.apiserver.validation;
