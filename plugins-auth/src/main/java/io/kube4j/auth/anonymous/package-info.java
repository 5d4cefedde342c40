/** The {@code anonymous} authenticator: whoever is left unidentified becomes {@code system:anonymous}. */
package io.kube4j.auth.anonymous;
