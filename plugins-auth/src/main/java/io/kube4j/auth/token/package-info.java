/**
 * The {@code token} authenticator: static bearer tokens from a CSV file, as kube-apiserver's
 * {@code --token-auth-file}.
 */
package io.kube4j.auth.token;
