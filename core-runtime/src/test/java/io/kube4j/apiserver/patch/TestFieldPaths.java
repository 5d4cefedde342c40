package io.kube4j.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.kube4j.apiserver.patch.TestPatches.json;
import static org.assertj.core.api.Assertions.assertThat;

class TestFieldPaths {
    @Test
    void readsAndWritesFieldsV1WithDotForOwnedParents() {
        JsonNode fields = json("""
                {'f:metadata':{'f:labels':{'.':{},'f:app':{}}},
                 'f:spec':{'f:containers':{'k:{\\"name\\":\\"nginx\\"}':{'.':{},'f:image':{},'f:name':{}}}}}
                """);
        Set<List<String>> set = FieldPaths.fromFieldsV1(fields);
        assertThat(set).containsExactlyInAnyOrder(
                List.of("f:metadata", "f:labels"),
                List.of("f:metadata", "f:labels", "f:app"),
                List.of("f:spec", "f:containers", "k:{\"name\":\"nginx\"}"),
                List.of("f:spec", "f:containers", "k:{\"name\":\"nginx\"}", "f:image"),
                List.of("f:spec", "f:containers", "k:{\"name\":\"nginx\"}", "f:name"));
        assertThat(FieldPaths.toFieldsV1(set)).isEqualTo(fields);
        assertThat(FieldPaths.toFieldsV1(set).get("f:metadata").get("f:labels").fieldNames().next()).isEqualTo(".");
    }

    @Test
    void fieldsV1OfOneWalkIsTheSetWrittenOut() {
        JsonNode pod = json("""
                {'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'d','uid':'u','labels':{'app':'web'},
                 'finalizers':['example.com/x'],'annotations':{}},
                 'spec':{'containers':[{'name':'c','image':'busybox','ports':[{'containerPort':80,'protocol':'TCP'}],
                 'env':[{'name':'A','value':'1'}]}],'volumes':[{'name':'v','emptyDir':{}}],'nodeSelector':{}},
                 'status':{'phase':'Pending'}}
                """);
        Schema schema = Schema.forKind("v1", "Pod");

        JsonNode direct = FieldPaths.fieldsV1Of(pod, schema);

        assertThat(direct).isEqualTo(FieldPaths.toFieldsV1(FieldPaths.of(pod, schema)));
        assertThat(direct.path("f:metadata").has("f:name")).isFalse();
        assertThat(direct.at("/f:spec/f:volumes").fieldNames().next()).isEqualTo("k:{\"name\":\"v\"}");
    }

    @Test
    void formatsPathsAsKubePrintsThem() {
        assertThat(FieldPaths.format(List.of("f:spec", "f:ports", "k:{\"port\":80,\"protocol\":\"TCP\"}", "f:targetPort")))
                .isEqualTo(".spec.ports[port=80,protocol=\"TCP\"].targetPort");
        assertThat(FieldPaths.format(List.of("f:metadata", "f:finalizers", "v:\"example.com/x\"")))
                .isEqualTo(".metadata.finalizers[=\"example.com/x\"]");
    }

    @Test
    void keysServicePortsByPortAndDefaultedProtocol() {
        Schema service = Schema.forKind("v1", "Service");
        Set<List<String>> set = FieldPaths.of(json("{'spec':{'ports':[{'port':80},{'port':53,'protocol':'UDP'}],'selector':{'app':'a'}}}"), service);
        assertThat(set).contains(
                List.of("f:spec", "f:ports", "k:{\"port\":80,\"protocol\":\"TCP\"}"),
                List.of("f:spec", "f:ports", "k:{\"port\":53,\"protocol\":\"UDP\"}", "f:protocol"),
                List.of("f:spec", "f:selector", "f:app"));
    }
}
