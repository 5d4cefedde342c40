/** What the built-in types look like, as far as the API server needs to know: unknown-field detection. */
package io.kube4j.apiserver.schema;
