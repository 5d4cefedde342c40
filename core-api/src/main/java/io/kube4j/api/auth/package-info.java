/** Authentication and authorization SPIs: who is asking, and may they. */
package io.kube4j.api.auth;
