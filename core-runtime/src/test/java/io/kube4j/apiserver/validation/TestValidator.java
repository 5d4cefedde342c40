package io.kube4j.apiserver.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.defaults.Defaulter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestValidator {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ResourceRegistry TYPES = ResourceRegistry.builtIn();
    private static final String SUBDOMAIN_RULE = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'example.com', regex used for validation is "
            + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
             "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}]}]}}""";
    private static final String DEPLOYMENT = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
             "spec":{"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}""";
    private static final String SERVICE = """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},
             "spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}""";

    @Test
    void defaultedObjectsOfEveryCommonKindAreValid() {
        assertThat(create("v1", "Pod", POD)).isEmpty();
        assertThat(create("apps/v1", "Deployment", DEPLOYMENT)).isEmpty();
        assertThat(create("v1", "Service", SERVICE)).isEmpty();
        assertThat(create("v1", "Namespace", "{\"metadata\":{\"name\":\"team-a\"}}")).isEmpty();
        assertThat(create("v1", "ConfigMap", """
                {"metadata":{"name":"cfg","namespace":"default"},"data":{"app.properties":"a=b","KEY_1":"x"}}"""))
                .isEmpty();
        assertThat(create("v1", "Secret", """
                {"metadata":{"name":"s","namespace":"default"},"stringData":{"password":"x"}}""")).isEmpty();
        assertThat(create("apps/v1", "StatefulSet", DEPLOYMENT.replace("Deployment", "StatefulSet"))).isEmpty();
        assertThat(create("apps/v1", "DaemonSet", DEPLOYMENT.replace("Deployment", "DaemonSet"))).isEmpty();
        assertThat(create("apps/v1", "ReplicaSet", DEPLOYMENT.replace("Deployment", "ReplicaSet"))).isEmpty();
        assertThat(create("batch/v1", "Job", """
                {"metadata":{"name":"pi","namespace":"default","uid":"u-1"},"spec":{"template":{"spec":{
                  "restartPolicy":"Never","containers":[{"name":"pi","image":"perl"}]}}}}""")).isEmpty();
        assertThat(create("batch/v1", "CronJob", """
                {"metadata":{"name":"tick","namespace":"default"},"spec":{"schedule":"*/5 * * * *",
                 "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure",
                   "containers":[{"name":"c","image":"busybox"}]}}}}}}""")).isEmpty();
        assertThat(create("coordination.k8s.io/v1", "Lease", """
                {"metadata":{"name":"kube-scheduler","namespace":"kube-system"},
                 "spec":{"holderIdentity":"a","leaseDurationSeconds":15}}""")).isEmpty();
        assertThat(create("v1", "Node", "{\"metadata\":{\"name\":\"node-1\"}}")).isEmpty();
        assertThat(create("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", """
                {"metadata":{"name":"system:admins"},"roleRef":{"kind":"ClusterRole","name":"cluster-admin"},
                 "subjects":[{"kind":"Group","name":"system:masters"}]}""")).isEmpty();
    }

    @Test
    void badNamesGetKubesMessages() {
        assertThat(messages(create("v1", "Pod", POD.replace("\"name\":\"web\"", "\"name\":\"Foo_\""))))
                .containsExactly("metadata.name: Invalid value: \"Foo_\": " + SUBDOMAIN_RULE);
        assertThat(messages(create("v1", "Service", SERVICE.replace("\"name\":\"web\"", "\"name\":\"1web\""))))
                .containsExactly("metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower "
                        + "case alphanumeric characters or '-', start with an alphabetic character, and end with an "
                        + "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
                        + "'[a-z]([-a-z0-9]*[a-z0-9])?')");
        assertThat(messages(create("v1", "Namespace", "{\"metadata\":{\"name\":\"a.b\"}}")))
                .containsExactly("metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist "
                        + "of lower case alphanumeric characters or '-', and must start and end with an alphanumeric "
                        + "character (e.g. 'my-name',  or '123-abc', regex used for validation is "
                        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    }

    @Test
    void nameNamespaceAndGenerateName() {
        ObjectNode pod = defaulted("v1", "Pod", POD);
        ((ObjectNode) pod.get("metadata")).remove(List.of("name", "namespace"));
        assertThat(messages(validate("v1", "Pod", pod, Optional.empty()))).containsExactly(
                "metadata.name: Required value: name or generateName is required",
                "metadata.namespace: Required value");

        ((ObjectNode) pod.get("metadata")).put("generateName", "web-").put("name", "web-x7k2p")
                .put("namespace", "default");
        assertThat(validate("v1", "Pod", pod, Optional.empty())).isEmpty();

        assertThat(messages(create("v1", "Namespace", "{\"metadata\":{\"name\":\"a\",\"namespace\":\"b\"}}")))
                .containsExactly("metadata.namespace: Forbidden: not allowed on this type");
    }

    @Test
    void badLabels() {
        List<FieldError> errors = create("v1", "Pod", POD.replace("{\"app\":\"web\"}",
                "{\"app\":\"web server\",\"-bad\":\"x\"}"));
        assertThat(messages(errors)).containsExactlyInAnyOrder(
                "metadata.labels: Invalid value: \"web server\": a valid label must be an empty string or consist of "
                        + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                        + "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                        + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                "metadata.labels: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', "
                        + "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
                        + "'my.name',  or '123-abc', regex used for validation is "
                        + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
        assertThat(errors).allSatisfy(e -> assertThat(e.type().reason()).isEqualTo("FieldValueInvalid"));
    }

    @Test
    void annotationsAreLimitedInTotalSize() {
        ObjectNode pod = defaulted("v1", "Pod", POD);
        ((ObjectNode) pod.get("metadata")).putObject("annotations").put("note", "x".repeat(256 * 1024));
        assertThat(messages(validate("v1", "Pod", pod, Optional.empty())))
                .containsExactly("metadata.annotations: Too long: may not be more than 262144 bytes");
    }

    @Test
    void podContainerRules() {
        assertThat(messages(create("v1", "Pod", POD.replace("\"image\":\"nginx:1.27\",", ""))))
                .containsExactly("spec.containers[0].image: Required value");
        assertThat(messages(create("v1", "Pod", POD.replace("\"containers\":[", "\"restartPolicy\":\"Sometimes\","
                + "\"containers\":["))))
                .containsExactly("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: "
                        + "\"Always\", \"OnFailure\", \"Never\"");
        assertThat(messages(create("v1", "Pod", POD.replace("80", "70000"))))
                .containsExactly("spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between "
                        + "1 and 65535, inclusive");
        assertThat(messages(create("v1", "Pod", """
                {"metadata":{"name":"p","namespace":"d"},"spec":{"containers":[{"name":"a","image":"x"},
                 {"name":"a","image":"y"},{"name":"B","image":"z"}]}}""")))
                .contains("spec.containers[1].name: Duplicate value: \"a\"")
                .anyMatch(m -> m.startsWith("spec.containers[2].name: Invalid value: \"B\": a lowercase RFC 1123 label"));
        assertThat(messages(create("v1", "Pod", "{\"metadata\":{\"name\":\"p\",\"namespace\":\"d\"},\"spec\":{}}")))
                .containsExactly("spec.containers: Required value");
    }

    @Test
    void probes() {
        assertThat(messages(create("v1", "Pod", POD.replace("\"ports\"", """
                "livenessProbe":{"httpGet":{"port":80},"successThreshold":2},"readinessProbe":{},"ports\""""))))
                .containsExactly("spec.containers[0].readinessProbe: Required value: must specify a handler type",
                        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1");
    }

    @Test
    void nodePodCidrIsSetOnce() {
        ObjectNode old = defaulted("v1", "Node", "{\"metadata\":{\"name\":\"n\"},\"spec\":{\"podCIDRs\":[\"10.244.1.0/24\"]}}");
        ObjectNode changed = old.deepCopy();
        ((ObjectNode) changed.get("spec")).putArray("podCIDRs").add("10.244.2.0/24");
        assertThat(messages(validate("v1", "Node", changed, Optional.of(old)))).containsExactly(
                "spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid");
    }

    @Test
    void requestsMayNotExceedLimitsAndQuantitiesMustParse() {
        assertThat(messages(create("v1", "Pod", POD.replace("\"ports\"", """
                "resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}},"ports\""""))))
                .containsExactly("spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or "
                        + "equal to cpu limit of 1");
        assertThat(messages(create("v1", "Pod", POD.replace("\"ports\"", """
                "resources":{"requests":{"memory":"lots"}},"ports\""""))))
                .containsExactly("spec.containers[0].resources.requests[memory]: Invalid value: \"lots\": quantities "
                        + "must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }

    @Test
    void podUpdatesMayChangeOnlyImagesAndAFewMore() {
        ObjectNode old = defaulted("v1", "Pod", POD);
        ObjectNode newImage = old.deepCopy();
        ((ObjectNode) newImage.at("/spec/containers/0")).put("image", "nginx:1.28");
        ((ObjectNode) newImage.at("/metadata/labels")).put("tier", "front");
        assertThat(validate("v1", "Pod", newImage, Optional.of(old))).isEmpty();

        ObjectNode newPolicy = old.deepCopy();
        ((ObjectNode) newPolicy.get("spec")).put("restartPolicy", "Never");
        List<FieldError> errors = validate("v1", "Pod", newPolicy, Optional.of(old));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(FieldError.Type.FORBIDDEN);
            assertThat(e.message()).startsWith("spec: Forbidden: pod updates may not change fields other than "
                    + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
                    + "`spec.tolerations` (only additions to existing tolerations),"
                    + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n");
            assertThat(e.message()).contains("spec.restartPolicy");
        });
    }

    @Test
    void metadataIsImmutableWhereKubeSaysSo() {
        ObjectNode old = defaulted("v1", "Pod", POD);
        ((ObjectNode) old.get("metadata")).put("uid", "u-1");
        ObjectNode renamed = old.deepCopy();
        ((ObjectNode) renamed.get("metadata")).put("name", "other").put("uid", "u-2");
        assertThat(messages(validate("v1", "Pod", renamed, Optional.of(old)))).containsExactly(
                "metadata.name: Invalid value: \"other\": field is immutable",
                "metadata.uid: Invalid value: \"u-2\": field is immutable");
        ObjectNode withoutUid = old.deepCopy();
        ((ObjectNode) withoutUid.get("metadata")).remove("uid");
        assertThat(validate("v1", "Pod", withoutUid, Optional.of(old))).as("the server keeps the stored uid").isEmpty();
    }

    @Test
    void selectorMustMatchTemplateLabels() {
        assertThat(messages(create("apps/v1", "Deployment", DEPLOYMENT.replace("\"labels\":{\"app\":\"web\"}",
                "\"labels\":{\"app\":\"other\"}"))))
                .containsExactly("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: "
                        + "`selector` does not match template `labels`");
        ObjectNode noSelector = json(DEPLOYMENT);
        ((ObjectNode) noSelector.get("spec")).remove("selector");
        assertThat(messages(validate("apps/v1", "Deployment", defaulted("apps/v1", "Deployment", noSelector.toString()),
                Optional.empty()))).containsExactly("spec.selector: Required value",
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not "
                        + "match template `labels`");
        assertThat(messages(create("apps/v1", "Deployment", DEPLOYMENT.replace("{\"matchLabels\":{\"app\":\"web\"}}",
                "{}")))).containsExactly("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment");
        assertThat(messages(create("apps/v1", "Deployment", DEPLOYMENT.replace("\"containers\"",
                "\"restartPolicy\":\"Never\",\"containers\""))))
                .containsExactly("spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: "
                        + "\"Always\"");
        assertThat(messages(create("apps/v1", "Deployment", DEPLOYMENT.replace("\"selector\"",
                "\"replicas\":-1,\"selector\""))))
                .containsExactly("spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    }

    @Test
    void appsSelectorsAreImmutable() {
        ObjectNode old = defaulted("apps/v1", "Deployment", DEPLOYMENT);
        ObjectNode changed = defaulted("apps/v1", "Deployment", DEPLOYMENT.replace("web\"}}", "web\",\"v\":\"2\"}}"));
        assertThat(changed.at("/spec/template/metadata/labels/v").asText()).isEqualTo("2");
        assertThat(messages(validate("apps/v1", "Deployment", changed, Optional.of(old)))).containsExactly(
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", "
                        + "\"v\":\"2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");

        ObjectNode scaled = old.deepCopy();
        ((ObjectNode) scaled.get("spec")).put("replicas", 5);
        assertThat(validate("apps/v1", "Deployment", scaled, Optional.of(old))).isEmpty();
    }

    @Test
    void statefulSetSpecIsMostlyImmutable() {
        String sts = DEPLOYMENT.replace("Deployment", "StatefulSet");
        ObjectNode old = defaulted("apps/v1", "StatefulSet", sts);
        ObjectNode changed = old.deepCopy();
        ((ObjectNode) changed.get("spec")).put("serviceName", "other");
        assertThat(messages(validate("apps/v1", "StatefulSet", changed, Optional.of(old)))).containsExactly(
                "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                        + "'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' "
                        + "and 'minReadySeconds' are forbidden");
    }

    @Test
    void jobPodsMayNotRestartAlways() {
        assertThat(messages(create("batch/v1", "Job", """
                {"metadata":{"name":"pi","namespace":"default","uid":"u-1"},"spec":{"template":{"spec":{
                  "containers":[{"name":"pi","image":"perl"}]}}}}""")))
                .containsExactly("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: "
                        + "\"OnFailure\", \"Never\"");
    }

    @Test
    void failuresPerIndexNeedAnIndexedJob() {
        String job = """
                {"metadata":{"name":"pi","namespace":"default","uid":"u-1"},"spec":{%s"template":{"spec":{
                  "restartPolicy":"Never","containers":[{"name":"pi","image":"perl"}]}}}}""";
        assertThat(create("batch/v1", "Job", job.formatted("""
                "completionMode":"Indexed","completions":3,"backoffLimitPerIndex":1,"maxFailedIndexes":1,
                "podFailurePolicy":{"rules":[{"action":"FailIndex","onExitCodes":{"operator":"In","values":[42]}}]},""")))
                .isEmpty();
        assertThat(messages(create("batch/v1", "Job", job.formatted("\"backoffLimitPerIndex\":1,\"maxFailedIndexes\":1,"))))
                .containsExactly("spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode",
                        "spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode");
        assertThat(messages(create("batch/v1", "Job", job.formatted("""
                "completionMode":"Indexed","completions":3,"maxFailedIndexes":4,
                "podFailurePolicy":{"rules":[{"action":"FailIndex","onExitCodes":{"operator":"In","values":[42]}}]},"""))))
                .containsExactly("spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified",
                        "spec.maxFailedIndexes: Invalid value: 4: must be less than or equal to completions",
                        "spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set");
    }

    @Test
    void servicePortRules() {
        assertThat(messages(create("v1", "Service", SERVICE.replace("\"ports\":[{\"port\":80}]", "\"ports\":[]"))))
                .containsExactly("spec.ports: Required value");
        assertThat(create("v1", "Service", SERVICE.replace("\"ports\":[{\"port\":80}]", "\"clusterIP\":\"None\"")))
                .as("a headless service needs no ports").isEmpty();
        assertThat(messages(create("v1", "Service", SERVICE.replace("[{\"port\":80}]",
                "[{\"port\":80},{\"name\":\"https\",\"port\":443},{\"name\":\"https\",\"port\":8443}]"))))
                .containsExactly("spec.ports[0].name: Required value",
                        "spec.ports[2].name: Duplicate value: \"https\"");
        assertThat(messages(create("v1", "Service", SERVICE.replace("\"port\":80", "\"port\":0,\"targetPort\":80"))))
                .containsExactly("spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive");
        assertThat(messages(create("v1", "Service", SERVICE.replace("\"ports\"", "\"type\":\"Internal\",\"ports\""))))
                .containsExactly("spec.type: Unsupported value: \"Internal\": supported values: \"ClusterIP\", "
                        + "\"ExternalName\", \"LoadBalancer\", \"NodePort\"");
        assertThat(messages(create("v1", "Service", SERVICE.replace("[{\"port\":80}]",
                "[{\"name\":\"a\",\"port\":80},{\"name\":\"b\",\"port\":80}]"))))
                .singleElement().asString().startsWith("spec.ports[1]: Duplicate value: core.ServicePort{");
    }

    @Test
    void clusterIpIsImmutable() {
        ObjectNode old = defaulted("v1", "Service", SERVICE.replace("\"ports\"", "\"clusterIP\":\"10.96.0.10\",\"ports\""));
        ObjectNode changed = old.deepCopy();
        ((ObjectNode) changed.get("spec")).put("clusterIP", "10.96.0.11").putArray("clusterIPs").add("10.96.0.11");
        assertThat(messages(validate("v1", "Service", changed, Optional.of(old)))).containsExactly(
                "spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set");
        ObjectNode omitted = old.deepCopy();
        ((ObjectNode) omitted.get("spec")).remove(List.of("clusterIP", "clusterIPs"));
        assertThat(validate("v1", "Service", omitted, Optional.of(old))).isEmpty();
    }

    @Test
    void configMapAndSecretKeys() {
        assertThat(messages(create("v1", "ConfigMap", """
                {"metadata":{"name":"c","namespace":"d"},"data":{"bad key":"x"}}""")))
                .containsExactly("data[bad key]: Invalid value: \"bad key\": a valid config key must consist of "
                        + "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', "
                        + "regex used for validation is '[-._a-zA-Z0-9]+')");
        assertThat(messages(create("v1", "Secret", """
                {"metadata":{"name":"s","namespace":"d"},"type":"kubernetes.io/tls","data":{"tls.crt":"eA=="}}""")))
                .containsExactly("data[tls.key]: Required value");
    }

    @Test
    void immutableConfigMapKeepsItsData() {
        ObjectNode old = json("{\"metadata\":{\"name\":\"c\",\"namespace\":\"d\"},\"immutable\":true,\"data\":{\"a\":\"1\"}}");
        ObjectNode changed = old.deepCopy();
        ((ObjectNode) changed.get("data")).put("a", "2");
        assertThat(messages(validate("v1", "ConfigMap", changed, Optional.of(old))))
                .containsExactly("data: Forbidden: field is immutable when `immutable` is set");
    }

    @Test
    void statusUpdatesCheckMetadataAndStatusOnly() {
        ObjectNode old = defaulted("apps/v1", "Deployment", DEPLOYMENT);
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).put("replicas", -3);
        ((ObjectNode) update.putObject("status")).put("replicas", 1);
        assertThat(TYPES.byApiVersionKind("apps/v1", "Deployment").map(t -> Validator.validate(t, update,
                Optional.of(old), "status")).orElseThrow()).isEmpty();
        ((ObjectNode) update.get("status")).put("readyReplicas", -1);
        assertThat(messages(Validator.validate(type("apps/v1", "Deployment"), update, Optional.of(old), "status")))
                .containsExactly("status.readyReplicas: Invalid value: -1: must be greater than or equal to 0");
    }

    @Test
    void smallerTypes() {
        assertThat(messages(create("coordination.k8s.io/v1", "Lease", """
                {"metadata":{"name":"l","namespace":"d"},"spec":{"leaseDurationSeconds":0}}""")))
                .containsExactly("spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0");
        assertThat(messages(create("batch/v1", "CronJob", """
                {"metadata":{"name":"c","namespace":"d"},"spec":{"schedule":"every minute",
                 "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never",
                   "containers":[{"name":"c","image":"busybox"}]}}}}}}""")))
                .containsExactly("spec.schedule: Invalid value: \"every minute\": expected exactly 5 fields, found 2: "
                        + "[every minute]");
        assertThat(messages(create("scheduling.k8s.io/v1", "PriorityClass", """
                {"metadata":{"name":"urgent"},"value":2000000000}""")))
                .containsExactly("value: Forbidden: maximum allowed value of a user defined priority is 1000000000");
        assertThat(messages(create("networking.k8s.io/v1", "Ingress", """
                {"metadata":{"name":"i","namespace":"d"},"spec":{"rules":[{"http":{"paths":[{"path":"/",
                 "backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}}""")))
                .containsExactly("spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified");
        assertThat(messages(create("rbac.authorization.k8s.io/v1", "Role", """
                {"metadata":{"name":"r","namespace":"d"},"rules":[{"apiGroups":[""],"resources":["pods"]}]}""")))
                .containsExactly("rules[0].verbs: Required value: verbs must contain at least one value");

        ObjectNode binding = defaulted("rbac.authorization.k8s.io/v1", "RoleBinding", """
                {"metadata":{"name":"b","namespace":"d"},"roleRef":{"kind":"Role","name":"a"},
                 "subjects":[{"kind":"User","name":"alice"}]}""");
        ObjectNode rebound = binding.deepCopy();
        ((ObjectNode) rebound.get("roleRef")).put("name", "b");
        assertThat(validate("rbac.authorization.k8s.io/v1", "RoleBinding", binding, Optional.empty())).isEmpty();
        assertThat(messages(validate("rbac.authorization.k8s.io/v1", "RoleBinding", rebound, Optional.of(binding))))
                .singleElement().asString().startsWith("roleRef: Invalid value: ").endsWith(": cannot change roleRef");
    }

    private static List<FieldError> create(String apiVersion, String kind, String text) {
        return validate(apiVersion, kind, defaulted(apiVersion, kind, text), Optional.empty());
    }

    private static List<FieldError> validate(String apiVersion, String kind, ObjectNode object,
                                             Optional<ObjectNode> old) {
        return Validator.validate(type(apiVersion, kind), object, old, "");
    }

    private static ObjectNode defaulted(String apiVersion, String kind, String text) {
        ObjectNode object = json(text);
        Defaulter.apply(type(apiVersion, kind), object);
        return object;
    }

    private static List<String> messages(List<FieldError> errors) {
        return errors.stream().map(FieldError::message).toList();
    }

    private static ResourceType type(String apiVersion, String kind) {
        return TYPES.byApiVersionKind(apiVersion, kind).orElseThrow();
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
