/** The Job controller: pods to completion, with finalizer-based tracking of finished pods. */
package io.kube4j.controllers.job;
