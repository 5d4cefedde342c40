/** Label selector matching, shared by the controllers that select their pods by labels. */
package io.kube4j.controllers.labels;
