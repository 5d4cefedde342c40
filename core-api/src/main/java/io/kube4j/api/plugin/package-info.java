/** What every plugin family shares: the factory shape and the context the runtime hands to plugins. */
package io.kube4j.api.plugin;
