package io.kube4j.apiserver.defaults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import org.junit.jupiter.api.Test;

class TestDefaulter {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ResourceRegistry TYPES = ResourceRegistry.builtIn();

    @Test
    void barePodGetsWhatKubeApiserverStores() {
        ObjectNode pod = defaulted("v1", "Pod", """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},
                 "spec":{"containers":[{"name":"nginx","image":"nginx"}]}}""");
        Defaulter.afterAdmission(type("v1", "Pod"), pod);

        assertThat(pod).isEqualTo(json("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},
                 "spec":{"containers":[{"name":"nginx","image":"nginx","imagePullPolicy":"Always","resources":{},
                     "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
                   "dnsPolicy":"ClusterFirst","enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority",
                   "priority":0,"restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},
                   "terminationGracePeriodSeconds":30},
                 "status":{"phase":"Pending","qosClass":"BestEffort"}}"""));
    }

    @Test
    void podContainerDetailsAreDefaulted() {
        ObjectNode pod = defaulted("v1", "Pod", """
                {"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"init","image":"busybox:1.36"}],
                 "containers":[{"name":"c","image":"registry:5000/app@sha256:abc",
                   "ports":[{"containerPort":80}],
                   "livenessProbe":{"httpGet":{"port":80}},
                   "readinessProbe":{"exec":{"command":["true"]},"periodSeconds":5},
                   "env":[{"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}]}],
                 "volumes":[{"name":"scratch"},{"name":"cfg","configMap":{"name":"cfg"}},
                   {"name":"s","secret":{"secretName":"s","defaultMode":256}}]}}""");

        JsonNode spec = pod.get("spec");
        assertThat(spec.at("/initContainers/0/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(spec.at("/initContainers/0/terminationMessagePath").asText()).isEqualTo("/dev/termination-log");
        JsonNode container = spec.at("/containers/0");
        assertThat(container.get("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(container.at("/ports/0")).isEqualTo(json("{\"containerPort\":80,\"protocol\":\"TCP\"}"));
        assertThat(container.get("livenessProbe")).isEqualTo(json("""
                {"httpGet":{"port":80,"path":"/","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,
                 "successThreshold":1,"failureThreshold":3}"""));
        assertThat(container.at("/readinessProbe/periodSeconds").asInt()).isEqualTo(5);
        assertThat(container.at("/env/0/valueFrom/fieldRef/apiVersion").asText()).isEqualTo("v1");
        assertThat(spec.get("volumes")).isEqualTo(json("""
                {"v":[{"name":"scratch","emptyDir":{}},{"name":"cfg","configMap":{"name":"cfg","defaultMode":420}},
                 {"name":"s","secret":{"secretName":"s","defaultMode":256}}]}""").get("v"));
    }

    @Test
    void resourceQuantitiesAreStoredCanonically() {
        ObjectNode pod = defaulted("v1", "Pod", """
                {"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"x",
                 "resources":{"limits":{"cpu":"1000m","memory":"1.5Gi"},"requests":{"cpu":"0.25"}}}]}}""");
        assertThat(pod.at("/spec/containers/0/resources")).isEqualTo(json("""
                {"limits":{"cpu":"1","memory":"1536Mi"},"requests":{"cpu":"250m","memory":"1536Mi"}}"""));
        assertThat(pod.at("/status/qosClass").asText()).isEqualTo("Burstable");
    }

    @Test
    void imagePullPolicyFollowsTheTag() {
        assertThat(PodDefaults.hasLatestTag("nginx")).isTrue();
        assertThat(PodDefaults.hasLatestTag("nginx:latest")).isTrue();
        assertThat(PodDefaults.hasLatestTag("localhost:5000/nginx")).isTrue();
        assertThat(PodDefaults.hasLatestTag("localhost:5000/nginx:1.27")).isFalse();
        assertThat(PodDefaults.hasLatestTag("nginx@sha256:0123")).isFalse();
        assertThat(PodDefaults.hasLatestTag("nginx:latest@sha256:0123")).isTrue();
    }

    @Test
    void hostNetworkPortsBecomeHostPortsInPodsButNotInTemplates() {
        String spec = """
                {"hostNetwork":true,"containers":[{"name":"c","image":"x","ports":[{"containerPort":8080}]}]}""";
        ObjectNode pod = defaulted("v1", "Pod", "{\"metadata\":{\"name\":\"p\"},\"spec\":" + spec + "}");
        assertThat(pod.at("/spec/containers/0/ports/0/hostPort").asInt()).isEqualTo(8080);
        ObjectNode deployment = defaulted("apps/v1", "Deployment",
                "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"template\":{\"spec\":" + spec + "}}}");
        assertThat(deployment.at("/spec/template/spec/containers/0/ports/0").has("hostPort")).isFalse();
    }

    @Test
    void userValuesAreKept() {
        ObjectNode pod = defaulted("v1", "Pod", """
                {"metadata":{"name":"p"},"spec":{"restartPolicy":"Never","dnsPolicy":"Default",
                 "terminationGracePeriodSeconds":0,"priorityClassName":"high",
                 "containers":[{"name":"c","image":"nginx","imagePullPolicy":"Never"}]}}""");

        assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Never");
        assertThat(pod.at("/spec/dnsPolicy").asText()).isEqualTo("Default");
        assertThat(pod.at("/spec/terminationGracePeriodSeconds").asInt()).isZero();
        assertThat(pod.at("/spec/containers/0/imagePullPolicy").asText()).isEqualTo("Never");
        assertThat(pod.at("/spec").has("priority")).as("priority comes from the class").isFalse();
    }

    @Test
    void podPriorityWaitsForAdmissionAndNeverOverridesANamedClass() {
        ObjectNode pod = defaulted("v1", "Pod", "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[]}}");
        assertThat(pod.at("/spec").has("priority")).as("the Priority plugin may still resolve a default class").isFalse();
        Defaulter.afterAdmission(type("v1", "Pod"), pod);
        assertThat(pod.at("/spec/priority").asInt(-1)).isZero();
        assertThat(pod.at("/spec/preemptionPolicy").asText()).isEqualTo("PreemptLowerPriority");

        ObjectNode named = defaulted("v1", "Pod", "{\"spec\":{\"priorityClassName\":\"high\"}}");
        Defaulter.afterAdmission(type("v1", "Pod"), named);
        assertThat(named.at("/spec").has("priority")).isFalse();
    }

    @Test
    void defaultingIsIdempotent() {
        ObjectNode once = defaulted("apps/v1", "Deployment", BARE_DEPLOYMENT);
        ObjectNode twice = once.deepCopy();
        Defaulter.apply(type("apps/v1", "Deployment"), twice);
        assertThat(twice).isEqualTo(once);
    }

    private static final String BARE_DEPLOYMENT = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default",
              "labels":{"app":"web"}},
             "spec":{"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}""";

    @Test
    void bareDeploymentGetsWhatKubeApiserverStores() {
        assertThat(defaulted("apps/v1", "Deployment", BARE_DEPLOYMENT)).isEqualTo(json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default",
                  "labels":{"app":"web"}},
                 "spec":{"progressDeadlineSeconds":600,"replicas":1,"revisionHistoryLimit":10,
                   "selector":{"matchLabels":{"app":"web"}},
                   "strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},"type":"RollingUpdate"},
                   "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},
                     "spec":{"containers":[{"image":"nginx:1.27","imagePullPolicy":"IfNotPresent","name":"nginx",
                         "resources":{},"terminationMessagePath":"/dev/termination-log",
                         "terminationMessagePolicy":"File"}],
                       "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler",
                       "securityContext":{},"terminationGracePeriodSeconds":30}}}}"""));
    }

    @Test
    void recreateDeploymentHasNoRollingUpdateParameters() {
        ObjectNode deployment = defaulted("apps/v1", "Deployment", """
                {"metadata":{"name":"d"},"spec":{"strategy":{"type":"Recreate"},"replicas":0}}""");
        assertThat(deployment.at("/spec/strategy")).isEqualTo(json("{\"type\":\"Recreate\"}"));
        assertThat(deployment.at("/spec/replicas").asInt()).isZero();
    }

    @Test
    void bareServiceGetsWhatKubeApiserverStoresBeforeAllocation() {
        ObjectNode service = defaulted("v1", "Service", """
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},
                 "spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}""");

        assertThat(service).isEqualTo(json("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},
                 "spec":{"internalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
                   "ports":[{"port":80,"protocol":"TCP","targetPort":80}],"selector":{"app":"web"},
                   "sessionAffinity":"None","type":"ClusterIP"}}"""));
    }

    @Test
    void nodePortServiceGetsExternalTrafficPolicyAndKeepsNamedTargetPort() {
        ObjectNode service = defaulted("v1", "Service", """
                {"metadata":{"name":"s"},"spec":{"type":"LoadBalancer","sessionAffinity":"ClientIP",
                 "ports":[{"port":80,"targetPort":"http","protocol":"UDP"}]}}""");

        JsonNode spec = service.get("spec");
        assertThat(spec.get("externalTrafficPolicy").asText()).isEqualTo("Cluster");
        assertThat(spec.get("allocateLoadBalancerNodePorts").asBoolean()).isTrue();
        assertThat(spec.at("/ports/0")).isEqualTo(json("{\"port\":80,\"targetPort\":\"http\",\"protocol\":\"UDP\"}"));
        assertThat(spec.at("/sessionAffinityConfig/clientIP/timeoutSeconds").asInt()).isEqualTo(10800);
        assertThat(spec.has("clusterIP")).as("allocation is the server's job").isFalse();
    }

    @Test
    void externalNameServiceHasNoClusterFields() {
        ObjectNode service = defaulted("v1", "Service", """
                {"metadata":{"name":"s"},"spec":{"type":"ExternalName","externalName":"example.com"}}""");
        assertThat(service.get("spec")).isEqualTo(json("""
                {"type":"ExternalName","externalName":"example.com","sessionAffinity":"None"}"""));
    }

    @Test
    void bareNamespaceGetsWhatKubeApiserverStores() {
        assertThat(defaulted("v1", "Namespace", """
                {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a"}}""")).isEqualTo(json("""
                {"apiVersion":"v1","kind":"Namespace",
                 "metadata":{"name":"team-a","labels":{"kubernetes.io/metadata.name":"team-a"}},
                 "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}"""));
    }

    @Test
    void workloadDefaults() {
        ObjectNode statefulSet = defaulted("apps/v1", "StatefulSet", """
                {"metadata":{"name":"db"},"spec":{"serviceName":"db","selector":{"matchLabels":{"a":"b"}},
                 "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}}""");
        assertThat(statefulSet.at("/spec/podManagementPolicy").asText()).isEqualTo("OrderedReady");
        assertThat(statefulSet.at("/spec/updateStrategy"))
                .isEqualTo(json("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}}"));
        assertThat(statefulSet.at("/spec/persistentVolumeClaimRetentionPolicy"))
                .isEqualTo(json("{\"whenDeleted\":\"Retain\",\"whenScaled\":\"Retain\"}"));
        assertThat(statefulSet.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(statefulSet.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);

        ObjectNode daemonSet = defaulted("apps/v1", "DaemonSet", "{\"metadata\":{\"name\":\"d\"}}");
        assertThat(daemonSet.at("/spec/updateStrategy")).isEqualTo(json("""
                {"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}"""));

        ObjectNode cronJob = defaulted("batch/v1", "CronJob", """
                {"metadata":{"name":"c"},"spec":{"schedule":"* * * * *","jobTemplate":{"spec":{"template":
                 {"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"busybox"}]}}}}}}""");
        assertThat(cronJob.at("/spec/concurrencyPolicy").asText()).isEqualTo("Allow");
        assertThat(cronJob.at("/spec/successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(cronJob.at("/spec/failedJobsHistoryLimit").asInt()).isEqualTo(1);
        assertThat(cronJob.at("/spec/suspend").asBoolean(true)).isFalse();
        assertThat(cronJob.at("/spec/jobTemplate/spec/template/spec/restartPolicy").asText()).isEqualTo("OnFailure");
        assertThat(cronJob.at("/spec/jobTemplate/spec").has("backoffLimit")).isFalse();
    }

    @Test
    void jobDefaultsAndGeneratedSelector() {
        ObjectNode job = defaulted("batch/v1", "Job", """
                {"metadata":{"name":"pi","uid":"1234"},"spec":{"template":{"spec":{"restartPolicy":"Never",
                 "containers":[{"name":"pi","image":"perl"}]}}}}""");

        JsonNode spec = job.get("spec");
        assertThat(spec.get("completions").asInt()).isEqualTo(1);
        assertThat(spec.get("parallelism").asInt()).isEqualTo(1);
        assertThat(spec.get("backoffLimit").asInt()).isEqualTo(6);
        assertThat(spec.get("completionMode").asText()).isEqualTo("NonIndexed");
        assertThat(spec.get("podReplacementPolicy").asText()).isEqualTo("TerminatingOrFailed");
        assertThat(spec.get("selector")).isEqualTo(json("""
                {"matchLabels":{"batch.kubernetes.io/controller-uid":"1234"}}"""));
        assertThat(spec.at("/template/metadata/labels")).isEqualTo(json("""
                {"batch.kubernetes.io/controller-uid":"1234","batch.kubernetes.io/job-name":"pi",
                 "controller-uid":"1234","job-name":"pi"}"""));
        assertThat(job.at("/metadata/labels")).isEqualTo(spec.at("/template/metadata/labels"));

        ObjectNode queue = defaulted("batch/v1", "Job", "{\"metadata\":{\"name\":\"q\"},\"spec\":{\"parallelism\":3}}");
        assertThat(queue.at("/spec").has("completions")).as("a work queue has no completion count").isFalse();
        assertThat(queue.at("/spec").has("selector")).as("no uid yet").isFalse();
    }

    @Test
    void smallerTypes() {
        assertThat(defaulted("v1", "Secret", "{\"metadata\":{\"name\":\"s\"}}").get("type").asText())
                .isEqualTo("Opaque");
        assertThat(defaulted("v1", "Secret", """
                {"data":{"a":"eA==","b":"eA=="},"stringData":{"b":"hello"}}""")).isEqualTo(json("""
                {"type":"Opaque","data":{"a":"eA==","b":"aGVsbG8="}}"""));
        assertThat(defaulted("scheduling.k8s.io/v1", "PriorityClass", "{\"value\":5}").get("preemptionPolicy")
                .asText()).isEqualTo("PreemptLowerPriority");
        assertThat(defaulted("v1", "Endpoints", "{\"subsets\":[{\"ports\":[{\"port\":80}]}]}")
                .at("/subsets/0/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(defaulted("rbac.authorization.k8s.io/v1", "RoleBinding", """
                {"roleRef":{"kind":"Role","name":"r"},"subjects":[{"kind":"User","name":"u"},
                 {"kind":"ServiceAccount","name":"default","namespace":"x"}]}""")).isEqualTo(json("""
                {"roleRef":{"kind":"Role","name":"r","apiGroup":"rbac.authorization.k8s.io"},
                 "subjects":[{"kind":"User","name":"u","apiGroup":"rbac.authorization.k8s.io"},
                 {"kind":"ServiceAccount","name":"default","namespace":"x"}]}"""));
        ObjectNode configMap = json("{\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"b\"}}");
        assertThat(defaulted("v1", "ConfigMap", configMap.toString())).isEqualTo(configMap);
    }

    private static ObjectNode defaulted(String apiVersion, String kind, String text) {
        ObjectNode object = json(text);
        Defaulter.apply(type(apiVersion, kind), object);
        return object;
    }

    static ResourceType type(String apiVersion, String kind) {
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
