/** The {@code always-allow} and {@code always-deny} authorizers, as kube-apiserver's AlwaysAllow and AlwaysDeny modes. */
package io.kube4j.auth.always;
