/** Cluster profiles: the YAML that says which components run with which plugins. */
package io.kube4j.runtime.profile;
