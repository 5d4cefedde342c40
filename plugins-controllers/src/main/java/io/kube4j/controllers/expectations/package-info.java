/** Controller expectations, shared by the controllers that create and delete pods. */
package io.kube4j.controllers.expectations;
