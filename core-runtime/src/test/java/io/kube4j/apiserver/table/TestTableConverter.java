package io.kube4j.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestTableConverter {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ResourceRegistry REGISTRY = ResourceRegistry.builtIn();
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private static ObjectNode json(String s) {
        try {
            return (ObjectNode) MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ResourceType type(String group, String plural) {
        return REGISTRY.byResource(group, "v1", plural).orElseThrow();
    }

    private static List<String> names(ObjectNode table) {
        List<String> result = new ArrayList<>();
        table.get("columnDefinitions").forEach(c -> result.add(c.get("name").asText()));
        return result;
    }

    private static List<String> cells(ObjectNode table, int row) {
        List<String> result = new ArrayList<>();
        table.get("rows").get(row).get("cells").forEach(c -> result.add(c.asText()));
        return result;
    }

    @Test
    void podColumnsAndCrashLoopStatus() {
        ObjectNode pod = json("""
                {'metadata': {'name': 'web-1', 'namespace': 'default', 'creationTimestamp': '2024-05-01T11:57:58Z'},
                 'spec': {'nodeName': 'node-1', 'containers': [{'name': 'a'}, {'name': 'b'}]},
                 'status': {'phase': 'Running', 'podIP': '10.0.0.5', 'podIPs': [{'ip': '10.0.0.5'}],
                   'containerStatuses': [
                     {'name': 'a', 'ready': true, 'restartCount': 0, 'state': {'running': {}}},
                     {'name': 'b', 'ready': false, 'restartCount': 4,
                      'state': {'waiting': {'reason': 'CrashLoopBackOff'}},
                      'lastState': {'terminated': {'exitCode': 1, 'finishedAt': '2024-05-01T11:55:00Z'}}}]}}
                """);
        ObjectNode table = TableConverter.toTable(type("", "pods"), List.of(pod), "42", "", "", NOW);

        assertThat(table.get("kind").asText()).isEqualTo("Table");
        assertThat(table.get("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(table.at("/metadata/resourceVersion").asText()).isEqualTo("42");
        assertThat(table.at("/metadata/continue").isMissingNode()).isTrue();
        assertThat(names(table)).containsExactly("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node",
                "Nominated Node", "Readiness Gates");
        assertThat(table.at("/columnDefinitions/0/format").asText()).isEqualTo("name");
        assertThat(table.at("/columnDefinitions/5/priority").asInt()).isEqualTo(1);
        assertThat(cells(table, 0)).containsExactly("web-1", "1/2", "CrashLoopBackOff", "4 (5m ago)", "2m2s",
                "10.0.0.5", "node-1", "<none>", "<none>");
        JsonNode object = table.at("/rows/0/object");
        assertThat(object.get("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(object.get("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(object.at("/metadata/name").asText()).isEqualTo("web-1");
        assertThat(object.has("spec")).isFalse();
    }

    @Test
    void podStatusReasons() {
        ObjectNode creating = json("""
                {'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a'}]},
                 'status': {'phase': 'Pending', 'containerStatuses': [{'name': 'a', 'restartCount': 0,
                   'state': {'waiting': {'reason': 'ContainerCreating'}}}]}}
                """);
        ObjectNode completed = json("""
                {'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a'}]},
                 'status': {'phase': 'Succeeded', 'containerStatuses': [{'name': 'a', 'restartCount': 0,
                   'state': {'terminated': {'reason': 'Completed', 'exitCode': 0}}}]}}
                """);
        ObjectNode terminating = json("""
                {'metadata': {'name': 'p', 'deletionTimestamp': '2024-05-01T11:59:00Z'},
                 'spec': {'containers': [{'name': 'a'}]},
                 'status': {'phase': 'Running', 'containerStatuses': [{'name': 'a', 'ready': true,
                   'restartCount': 0, 'state': {'running': {}}}]}}
                """);
        ObjectNode initializing = json("""
                {'metadata': {'name': 'p'}, 'spec': {'initContainers': [{'name': 'i'}], 'containers': [{'name': 'a'}]},
                 'status': {'phase': 'Pending', 'initContainerStatuses': [{'name': 'i', 'restartCount': 0,
                   'state': {'running': {}}}]}}
                """);
        ObjectNode table = TableConverter.toTable(type("", "pods"), List.of(creating, completed, terminating, initializing),
                "", "", "None", NOW);

        assertThat(cells(table, 0).get(2)).isEqualTo("ContainerCreating");
        assertThat(cells(table, 1).subList(1, 3)).containsExactly("0/1", "Completed");
        assertThat(cells(table, 2).subList(1, 3)).containsExactly("1/1", "Terminating");
        assertThat(cells(table, 3).get(2)).isEqualTo("Init:0/1");
        assertThat(table.at("/rows/0/object").isMissingNode()).isTrue();
    }

    @Test
    void deploymentColumns() {
        ObjectNode deployment = json("""
                {'metadata': {'name': 'web', 'creationTimestamp': '2024-04-29T09:00:00Z'},
                 'spec': {'replicas': 3, 'selector': {'matchLabels': {'app': 'web'}},
                   'template': {'spec': {'containers': [{'name': 'nginx', 'image': 'nginx:1.27'}, {'name': 'side', 'image': 'busybox'}]}}},
                 'status': {'readyReplicas': 2, 'updatedReplicas': 3, 'availableReplicas': 2}}
                """);
        ObjectNode table = TableConverter.toTable(type("apps", "deployments"), List.of(deployment), "", "c1", "Object", NOW);

        assertThat(names(table)).containsExactly("Name", "Ready", "Up-to-date", "Available", "Age", "Containers",
                "Images", "Selector");
        assertThat(cells(table, 0)).containsExactly("web", "2/3", "3", "2", "2d3h", "nginx,side", "nginx:1.27,busybox",
                "app=web");
        assertThat(table.at("/rows/0/cells/2").isNumber()).isTrue();
        assertThat(table.at("/metadata/continue").asText()).isEqualTo("c1");
        assertThat(table.at("/rows/0/object/spec/replicas").asInt()).isEqualTo(3);
    }

    @Test
    void serviceColumns() {
        ObjectNode service = json("""
                {'metadata': {'name': 'web', 'creationTimestamp': '2024-05-01T11:59:55Z'},
                 'spec': {'type': 'NodePort', 'clusterIP': '10.96.0.10', 'selector': {'app': 'web'},
                   'ports': [{'port': 80, 'protocol': 'TCP', 'nodePort': 30080}, {'port': 53, 'protocol': 'UDP'}]}}
                """);
        ObjectNode lb = json("""
                {'metadata': {'name': 'lb'}, 'spec': {'type': 'LoadBalancer', 'clusterIP': '10.96.0.11', 'ports': [{'port': 443}]}}
                """);
        ObjectNode table = TableConverter.toTable(type("", "services"), List.of(service, lb), "", "", "", NOW);

        assertThat(names(table)).containsExactly("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector");
        assertThat(cells(table, 0)).containsExactly("web", "NodePort", "10.96.0.10", "<none>", "80:30080/TCP,53/UDP",
                "5s", "app=web");
        assertThat(cells(table, 1).subList(1, 5)).containsExactly("LoadBalancer", "10.96.0.11", "<pending>", "443/TCP");
    }

    @Test
    void nodeStatusAndRoles() {
        ObjectNode node = json("""
                {'metadata': {'name': 'node-1', 'labels': {'node-role.kubernetes.io/control-plane': ''}},
                 'spec': {'unschedulable': true},
                 'status': {'conditions': [{'type': 'Ready', 'status': 'False'}],
                   'addresses': [{'type': 'InternalIP', 'address': '192.168.1.2'}],
                   'nodeInfo': {'kubeletVersion': 'v1.32.0', 'osImage': 'Debian', 'kernelVersion': '6.1',
                     'containerRuntimeVersion': 'kube4j://0.1'}}}
                """);
        ObjectNode table = TableConverter.toTable(type("", "nodes"), List.of(node), "", "", "", NOW);

        assertThat(cells(table, 0)).containsExactly("node-1", "NotReady,SchedulingDisabled", "control-plane",
                "<unknown>", "v1.32.0", "192.168.1.2", "<none>", "Debian", "6.1", "kube4j://0.1");
    }

    @Test
    void eventColumns() {
        ObjectNode event = json("""
                {'metadata': {'name': 'web.1'}, 'type': 'Normal', 'reason': 'Scheduled', 'message': 'assigned ',
                 'involvedObject': {'kind': 'Pod', 'name': 'web-1'}, 'source': {'component': 'default-scheduler'},
                 'firstTimestamp': '2024-05-01T11:59:00Z', 'lastTimestamp': '2024-05-01T11:59:30Z', 'count': 2}
                """);
        ObjectNode table = TableConverter.toTable(type("", "events"), List.of(event), "", "", "", NOW);

        assertThat(names(table).subList(0, 4)).containsExactly("Last Seen", "Type", "Reason", "Object");
        assertThat(cells(table, 0)).containsExactly("30s", "Normal", "Scheduled", "pod/web-1", "", "default-scheduler",
                "assigned", "60s", "2", "web.1");
    }

    @Test
    void simpleCountsAndDefault() {
        ObjectNode cm = json("{'metadata': {'name': 'cfg'}, 'data': {'a': '1', 'b': '2'}, 'binaryData': {'c': 'AA=='}}");
        assertThat(cells(TableConverter.toTable(type("", "configmaps"), List.of(cm), "", "", "", NOW), 0))
                .containsExactly("cfg", "3", "<unknown>");

        ObjectNode secret = json("{'metadata': {'name': 's'}, 'type': 'Opaque', 'data': {'a': 'MQ=='}}");
        assertThat(cells(TableConverter.toTable(type("", "secrets"), List.of(secret), "", "", "", NOW), 0))
                .containsExactly("s", "Opaque", "1", "<unknown>");

        ObjectNode cs = json("{'metadata': {'name': 'etcd-0'}, 'conditions': [{'type': 'Healthy', 'status': 'True', 'message': 'ok'}]}");
        ObjectNode csTable = TableConverter.toTable(type("", "componentstatuses"), List.of(cs), "", "", "", NOW);
        assertThat(names(csTable)).containsExactly("Name", "Status", "Message", "Error");
        assertThat(cells(csTable, 0)).containsExactly("etcd-0", "Healthy", "ok", "");

        ResourceType review = REGISTRY.byResource("authorization.k8s.io", "v1", "selfsubjectaccessreviews").orElseThrow();
        ObjectNode other = TableConverter.toTable(review, List.of(json("{'metadata': {'name': 'x'}}")), "", "", "", NOW);
        assertThat(names(other)).containsExactly("Name", "Age");
    }

    @Test
    void jobAndCronJob() {
        ObjectNode job = json("""
                {'metadata': {'name': 'pi'}, 'spec': {'completions': 1, 'template': {'spec': {'containers': [{'name': 'pi', 'image': 'perl'}]}}},
                 'status': {'succeeded': 1, 'startTime': '2024-05-01T11:00:00Z', 'completionTime': '2024-05-01T11:00:30Z',
                   'conditions': [{'type': 'Complete', 'status': 'True'}]}}
                """);
        ObjectNode jobs = TableConverter.toTable(type("batch", "jobs"), List.of(job), "", "", "", NOW);
        assertThat(names(jobs).subList(0, 5)).containsExactly("Name", "Status", "Completions", "Duration", "Age");
        assertThat(cells(jobs, 0).subList(0, 4)).containsExactly("pi", "Complete", "1/1", "30s");

        ObjectNode cron = json("{'metadata': {'name': 'c'}, 'spec': {'schedule': '*/5 * * * *', 'suspend': false}}");
        ObjectNode crons = TableConverter.toTable(type("batch", "cronjobs"), List.of(cron), "", "", "", NOW);
        assertThat(cells(crons, 0).subList(0, 6)).containsExactly("c", "*/5 * * * *", "<none>", "False", "0", "<none>");
    }

    @Test
    void rejectsUnknownIncludeObject() {
        assertThatThrownBy(() -> TableConverter.toTable(type("", "pods"), List.of(), "", "", "Everything", NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
