/** The TTL-after-finished controller: deletes finished Jobs {@code ttlSecondsAfterFinished} after they finish. */
package io.kube4j.controllers.ttlafterfinished;
