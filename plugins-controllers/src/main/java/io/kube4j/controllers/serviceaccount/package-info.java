/** The service account controller: a {@code default} ServiceAccount in every namespace. */
package io.kube4j.controllers.serviceaccount;
