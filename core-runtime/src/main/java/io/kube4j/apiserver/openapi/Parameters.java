package io.kube4j.apiserver.openapi;

import java.util.Map;

/** The query parameters kube-apiserver accepts, with their types and what they mean. */
final class Parameters {
    record Parameter(String type, String description) {
    }

    static final Map<String, Parameter> QUERY = Map.ofEntries(
            Map.entry("pretty", new Parameter("string", "If 'true', then the output is pretty printed.")),
            Map.entry("dryRun", new Parameter("string", "When present, indicates that modifications should not be "
                    + "persisted. Valid value: All.")),
            Map.entry("fieldManager", new Parameter("string", "The name of the actor or entity making these changes.")),
            Map.entry("fieldValidation", new Parameter("string", "How the server handles unknown or duplicate fields "
                    + "in the request: Ignore, Warn or Strict.")),
            Map.entry("force", new Parameter("boolean", "Force apply requests: re-acquire conflicting fields owned "
                    + "by other people.")),
            Map.entry("labelSelector", new Parameter("string", "A selector to restrict the list of returned objects "
                    + "by their labels.")),
            Map.entry("fieldSelector", new Parameter("string", "A selector to restrict the list of returned objects "
                    + "by their fields.")),
            Map.entry("limit", new Parameter("integer", "The maximum number of responses to return for a list call.")),
            Map.entry("continue", new Parameter("string", "The continue token of a previous chunked list call.")),
            Map.entry("resourceVersion", new Parameter("string", "Constrains which resource versions a request may be "
                    + "served from.")),
            Map.entry("resourceVersionMatch", new Parameter("string", "How resourceVersion is applied to list calls.")),
            Map.entry("timeoutSeconds", new Parameter("integer", "Timeout for the list/watch call.")),
            Map.entry("watch", new Parameter("boolean", "Watch for changes to the described resources and return them "
                    + "as a stream of add, update, and remove notifications.")),
            Map.entry("allowWatchBookmarks", new Parameter("boolean", "Requests watch events of type BOOKMARK.")),
            Map.entry("sendInitialEvents", new Parameter("boolean", "Starts a watch with synthetic events for the "
                    + "current state.")),
            Map.entry("gracePeriodSeconds", new Parameter("integer", "The duration in seconds before the object "
                    + "should be deleted.")),
            Map.entry("propagationPolicy", new Parameter("string", "Whether and how garbage collection will be "
                    + "performed: Orphan, Background or Foreground.")),
            Map.entry("orphanDependents", new Parameter("boolean", "Deprecated: use propagationPolicy.")));

    private Parameters() {
    }
}
