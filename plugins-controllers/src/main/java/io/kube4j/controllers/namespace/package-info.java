/** The namespace controller: deleting a namespace deletes everything in it, then the namespace. */
package io.kube4j.controllers.namespace;
