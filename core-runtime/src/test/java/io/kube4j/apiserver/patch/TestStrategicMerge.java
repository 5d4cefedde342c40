package io.kube4j.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static io.kube4j.apiserver.patch.TestPatches.json;
import static io.kube4j.apiserver.patch.TestPatches.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestStrategicMerge {
    private static final String DEPLOYMENT = """
            {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'app':'web','tier':'fe'},'finalizers':['a','b']},
             'spec':{'replicas':2,'template':{'metadata':{'labels':{'app':'web'}},'spec':{
               'containers':[
                 {'name':'nginx','image':'nginx:1.25','ports':[{'containerPort':80,'protocol':'TCP'}],
                  'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}],'args':['x','y']},
                 {'name':'sidecar','image':'busybox:1.36'}],
               'volumes':[{'name':'data','emptyDir':{}}],
               'tolerations':[{'key':'k1','operator':'Exists'}]}}}}
            """;

    private static JsonNode patch(String target, String patch, String apiVersion, String kind) throws PatchException {
        return Patches.strategicMergePatch(obj(target), json(patch), apiVersion, kind);
    }

    private static JsonNode deployment(String patch) throws PatchException {
        return patch(DEPLOYMENT, patch, "apps/v1", "Deployment");
    }

    private static JsonNode containers(JsonNode deployment) {
        return deployment.at("/spec/template/spec/containers");
    }

    @Test
    void mergesContainersByName() throws Exception {
        JsonNode result = deployment("{'spec':{'template':{'spec':{'containers':[{'name':'sidecar','image':'busybox:1.37'}]}}}}");
        assertThat(containers(result)).hasSize(2);
        assertThat(containers(result).get(0).get("image").asText()).isEqualTo("nginx:1.25");
        assertThat(containers(result).get(0).get("env")).hasSize(2);
        assertThat(containers(result).get(1)).isEqualTo(json("{'name':'sidecar','image':'busybox:1.37'}"));
    }

    @Test
    void appendsNewContainer() throws Exception {
        JsonNode result = deployment("{'spec':{'template':{'spec':{'containers':[{'name':'log','image':'fluentbit'}]}}}}");
        assertThat(containers(result)).extracting(c -> c.get("name").asText()).containsExactly("nginx", "sidecar", "log");
    }

    @Test
    void mergesEnvByNameAndReplacesAtomicLists() throws Exception {
        JsonNode result = deployment("""
                {'spec':{'template':{'spec':{'containers':[{'name':'nginx',
                  'env':[{'name':'B','value':'20'},{'name':'C','value':'3'},{'name':'A','$patch':'delete'}],
                  'args':['z']}],
                  'tolerations':[{'key':'k2','operator':'Exists'}]}}}}
                """);
        JsonNode nginx = containers(result).get(0);
        assertThat(nginx.get("env")).isEqualTo(json("[{'name':'B','value':'20'},{'name':'C','value':'3'}]"));
        assertThat(nginx.get("args")).isEqualTo(json("['z']"));
        assertThat(result.at("/spec/template/spec/tolerations")).isEqualTo(json("[{'key':'k2','operator':'Exists'}]"));
    }

    @Test
    void deletesContainerWithPatchDelete() throws Exception {
        JsonNode result = deployment("{'spec':{'template':{'spec':{'containers':[{'name':'sidecar','$patch':'delete'}]}}}}");
        assertThat(containers(result)).extracting(c -> c.get("name").asText()).containsExactly("nginx");
    }

    @Test
    void replacesListWithPatchReplace() throws Exception {
        JsonNode result = deployment("{'spec':{'template':{'spec':{'containers':[{'name':'only','image':'x'},{'$patch':'replace'}]}}}}");
        assertThat(containers(result)).isEqualTo(json("[{'name':'only','image':'x'}]"));
    }

    @Test
    void replacesAndDeletesMaps() throws Exception {
        JsonNode replaced = deployment("{'metadata':{'labels':{'$patch':'replace','new':'1'}}}");
        assertThat(replaced.at("/metadata/labels")).isEqualTo(json("{'new':'1'}"));
        JsonNode deleted = deployment("{'metadata':{'labels':{'$patch':'delete'}}}");
        assertThat(deleted.at("/metadata/labels")).isEqualTo(json("{}"));
    }

    @Test
    void nullDeletesAndMapsMerge() throws Exception {
        JsonNode result = deployment("{'metadata':{'labels':{'tier':null,'env':'prod'}},'spec':{'replicas':null}}");
        assertThat(result.at("/metadata/labels")).isEqualTo(json("{'app':'web','env':'prod'}"));
        assertThat(result.get("spec").has("replicas")).isFalse();
    }

    @Test
    void unionsFinalizersAndDeletesFromPrimitiveList() throws Exception {
        JsonNode union = deployment("{'metadata':{'finalizers':['b','c']}}");
        assertThat(union.at("/metadata/finalizers")).isEqualTo(json("['a','b','c']"));
        JsonNode removed = deployment("{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}");
        assertThat(removed.at("/metadata/finalizers")).isEqualTo(json("['b']"));
    }

    @Test
    void retainKeysDropsUnlistedFields() throws Exception {
        ObjectNode target = obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},"
                + "'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}");
        JsonNode result = Patches.strategicMergePatch(target,
                json("{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}"), "apps/v1", "Deployment");
        assertThat(result.at("/spec/strategy")).isEqualTo(json("{'type':'Recreate'}"));
        JsonNode volumes = deployment("{'spec':{'template':{'spec':{'volumes':[{'name':'data','$retainKeys':['name','hostPath'],'hostPath':{'path':'/d'}}]}}}}");
        assertThat(volumes.at("/spec/template/spec/volumes")).isEqualTo(json("[{'name':'data','hostPath':{'path':'/d'}}]"));
    }

    @Test
    void setsElementOrder() throws Exception {
        JsonNode result = deployment("{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'sidecar'},{'name':'nginx'}],"
                + "'containers':[{'name':'nginx','image':'nginx:2'}]}}}}");
        assertThat(containers(result)).extracting(c -> c.get("name").asText()).containsExactly("sidecar", "nginx");
        assertThat(containers(result).get(1).get("image").asText()).isEqualTo("nginx:2");
    }

    @Test
    void setElementOrderKeepsServerOnlyElementsInPlace() throws Exception {
        String pod = "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a'},{'name':'x'},{'name':'c'}]}}";
        JsonNode result = patch(pod, "{'spec':{'$setElementOrder/containers':[{'name':'c'},{'name':'a'},{'name':'d'}],'containers':[{'name':'d'}]}}",
                "v1", "Pod");
        // x goes before the first ordered element that followed it on the server (c), as kube places it.
        assertThat(result.at("/spec/containers")).isEqualTo(json("[{'name':'x'},{'name':'c'},{'name':'a'},{'name':'d'}]"));
        JsonNode kept = patch(pod, "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'c'},{'name':'d'}],'containers':[{'name':'d'}]}}",
                "v1", "Pod");
        assertThat(kept.at("/spec/containers")).isEqualTo(json("[{'name':'a'},{'name':'x'},{'name':'c'},{'name':'d'}]"));
        JsonNode finalizers = patch("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','finalizers':['a','b']}}",
                "{'metadata':{'$setElementOrder/finalizers':['c','a'],'finalizers':['c']}}", "v1", "Pod");
        assertThat(finalizers.at("/metadata/finalizers")).isEqualTo(json("['c','a','b']"));
    }

    @Test
    void mergesServicePortsByPort() throws Exception {
        String service = "{'apiVersion':'v1','kind':'Service','metadata':{'name':'s'},'spec':{'selector':{'app':'a'},"
                + "'ports':[{'name':'http','port':80,'targetPort':8080},{'name':'https','port':443,'targetPort':8443}]}}";
        JsonNode result = patch(service, "{'spec':{'ports':[{'port':443,'targetPort':9443},{'port':9090,'name':'metrics'}]}}", "v1", "Service");
        assertThat(result.at("/spec/ports")).isEqualTo(json(
                "[{'name':'http','port':80,'targetPort':8080},{'name':'https','port':443,'targetPort':9443},{'port':9090,'name':'metrics'}]"));
    }

    @Test
    void mergesContainersOfPodsCronJobsAndStatusConditions() throws Exception {
        String pod = "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'2'}]},"
                + "'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'Initialized','status':'True'}]}}";
        JsonNode p = patch(pod, "{'spec':{'containers':[{'name':'b','image':'3'}]},'status':{'conditions':[{'type':'Ready','status':'True'}]}}", "v1", "Pod");
        assertThat(p.at("/spec/containers")).isEqualTo(json("[{'name':'a','image':'1'},{'name':'b','image':'3'}]"));
        assertThat(p.at("/status/conditions")).isEqualTo(json("[{'type':'Ready','status':'True'},{'type':'Initialized','status':'True'}]"));

        String cron = "{'apiVersion':'batch/v1','kind':'CronJob','metadata':{'name':'c'},'spec':{'jobTemplate':{'spec':{'template':{'spec':"
                + "{'containers':[{'name':'a','image':'1','ports':[{'containerPort':80},{'containerPort':81}]}]}}}}}}";
        JsonNode c = patch(cron, "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','ports':[{'containerPort':81,'name':'x'}]}]}}}}}}",
                "batch/v1", "CronJob");
        assertThat(c.at("/spec/jobTemplate/spec/template/spec/containers/0/ports"))
                .isEqualTo(json("[{'containerPort':80},{'containerPort':81,'name':'x'}]"));
    }

    @Test
    void resolvesPodTemplatesOfWorkloadKinds() throws Exception {
        String[][] kinds = {
                {"apps/v1", "ReplicaSet", "/spec/template"}, {"apps/v1", "StatefulSet", "/spec/template"},
                {"apps/v1", "DaemonSet", "/spec/template"}, {"batch/v1", "Job", "/spec/template"}, {"v1", "ReplicationController", "/spec/template"},
                {"v1", "PodTemplate", "/template"}};
        for (String[] k : kinds) {
            ObjectNode target = obj("{'apiVersion':'%s','kind':'%s','metadata':{'name':'x'}}".formatted(k[0], k[1]));
            ObjectNode template = target.withObject(k[2]);
            template.set("spec", json("{'containers':[{'name':'a','image':'1'},{'name':'b','image':'2'}]}"));
            ObjectNode patch = obj("{}");
            patch.withObject(k[2]).set("spec", json("{'containers':[{'name':'b','image':'3'}]}"));
            JsonNode result = Patches.strategicMergePatch(target, patch, k[0], k[1]);
            assertThat(result.at(k[2] + "/spec/containers")).as(k[1]).isEqualTo(json("[{'name':'a','image':'1'},{'name':'b','image':'3'}]"));
        }
    }

    @Test
    void mergesOwnerReferencesByUidAndNodeConditionsByType() throws Exception {
        JsonNode cm = patch("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','ownerReferences':[{'uid':'1','name':'a'}]}}",
                "{'metadata':{'ownerReferences':[{'uid':'2','name':'b'}]}}", "v1", "ConfigMap");
        assertThat(cm.at("/metadata/ownerReferences")).hasSize(2);
        JsonNode node = patch("{'apiVersion':'v1','kind':'Node','metadata':{'name':'n'},'status':{'conditions':[{'type':'Ready','status':'False'}],"
                + "'addresses':[{'type':'InternalIP','address':'10.0.0.1'}]}}",
                "{'status':{'conditions':[{'type':'MemoryPressure','status':'False'}],'addresses':[{'type':'Hostname','address':'n'}]}}", "v1", "Node");
        assertThat(node.at("/status/conditions")).hasSize(2);
        assertThat(node.at("/status/addresses")).hasSize(2);
    }

    @Test
    void customResourcesReplaceListsButMergeMetadata() throws Exception {
        String cr = "{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w','finalizers':['a']},'spec':{'items':[{'name':'a'}],'m':{'x':1}}}";
        JsonNode result = patch(cr, "{'metadata':{'finalizers':['b']},'spec':{'items':[{'name':'b'}],'m':{'y':2}}}", "example.com/v1", "Widget");
        assertThat(result.get("spec")).isEqualTo(json("{'items':[{'name':'b'}],'m':{'x':1,'y':2}}"));
        assertThat(result.at("/metadata/finalizers")).isEqualTo(json("['a','b']"));
    }

    @Test
    void newFieldsHaveDirectivesResolved() throws Exception {
        JsonNode result = patch("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'}}",
                "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':null}]}]},'metadata':{'labels':{'a':'1','b':null}}}", "v1", "Pod");
        assertThat(result.at("/spec/containers")).isEqualTo(json("[{'name':'a','env':[{'name':'X'}]}]"));
        assertThat(result.at("/metadata/labels")).isEqualTo(json("{'a':'1'}"));
    }

    @Test
    void rejectsBadPatches() {
        assertThatThrownBy(() -> deployment("{'spec':{'template':{'spec':{'containers':[{'image':'no-name'}]}}}}"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422))
                .hasMessageContaining("merge key: name");
        assertThatThrownBy(() -> deployment("{'metadata':{'labels':{'$patch':'explode'}}}"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422));
        assertThatThrownBy(() -> Patches.strategicMergePatch(obj(DEPLOYMENT), json("[1]"), "apps/v1", "Deployment"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    @Test
    void leavesTargetUntouched() throws Exception {
        ObjectNode target = obj(DEPLOYMENT);
        Patches.strategicMergePatch(target, json("{'spec':{'template':{'spec':{'containers':[{'name':'nginx','image':'x'}]}}}}"), "apps/v1", "Deployment");
        assertThat(target).isEqualTo(obj(DEPLOYMENT));
    }
}
