/** The RFC 3339 timestamps of object fields, read and written as the API server does, shared by the controllers. */
package io.kube4j.controllers.timestamps;
