/** The resource type registry: what the API server serves and how discovery describes it. */
package io.kube4j.api.resource;
