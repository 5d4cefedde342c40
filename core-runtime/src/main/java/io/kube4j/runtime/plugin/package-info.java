/** Plugin discovery (ServiceLoader and a plugins directory) and binding of profile slots to plugin configs. */
package io.kube4j.runtime.plugin;
