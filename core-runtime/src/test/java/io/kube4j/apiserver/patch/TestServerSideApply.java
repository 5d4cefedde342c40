package io.kube4j.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static io.kube4j.apiserver.patch.TestPatches.json;
import static io.kube4j.apiserver.patch.TestPatches.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestServerSideApply {
    private static final Instant T1 = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final Instant T2 = Instant.parse("2026-01-02T04:00:00Z");

    private static String deployment(int replicas, String image) {
        return """
                {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default','labels':{'app':'web'}},
                 'spec':{'replicas':%d,'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},
                  'spec':{'containers':[{'name':'nginx','image':'%s','ports':[{'containerPort':80}]}]}}}}
                """.formatted(replicas, image);
    }

    private static ObjectNode create(String manager, String config) throws Exception {
        return ServerSideApply.apply(Optional.empty(), obj(config), manager, false, T1);
    }

    private static JsonNode entry(JsonNode object, String manager) {
        for (JsonNode e : object.at("/metadata/managedFields")) {
            if (e.get("manager").asText().equals(manager)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void createRecordsApplyEntryWithFieldsV1() throws Exception {
        ObjectNode created = create("kubectl", deployment(2, "nginx:1.25"));
        assertThat(created.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(created.at("/metadata/managedFields")).hasSize(1);
        JsonNode e = entry(created, "kubectl");
        assertThat(e.get("operation").asText()).isEqualTo("Apply");
        assertThat(e.get("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(e.get("time").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(e.get("fieldsType").asText()).isEqualTo("FieldsV1");
        assertThat(e.get("fieldsV1")).isEqualTo(json("""
                {'f:metadata':{'f:labels':{'f:app':{}}},
                 'f:spec':{'f:replicas':{},'f:selector':{},'f:template':{'f:metadata':{'f:labels':{'f:app':{}}},
                  'f:spec':{'f:containers':{'k:{\\"name\\":\\"nginx\\"}':{'.':{},'f:image':{},'f:name':{},
                   'f:ports':{'k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}':{'.':{},'f:containerPort':{}}}}}}}}}
                """));
    }

    @Test
    void reapplyBySameManagerChangesFieldWithoutConflict() throws Exception {
        ObjectNode live = create("kubectl", deployment(2, "nginx:1.25"));
        ObjectNode updated = ServerSideApply.apply(Optional.of(live), obj(deployment(3, "nginx:1.26")), "kubectl", false, T2);
        assertThat(updated.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(updated.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.26");
        assertThat(updated.at("/metadata/managedFields")).hasSize(1);
        assertThat(entry(updated, "kubectl").get("time").asText()).isEqualTo("2026-01-02T04:00:00Z");
    }

    @Test
    void secondManagerConflictsThenForceTakesOver() throws Exception {
        ObjectNode live = create("alice", deployment(2, "nginx:1.25"));
        String bobConfig = "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':5}}";
        assertThatThrownBy(() -> ServerSideApply.apply(Optional.of(live), obj(bobConfig), "bob", false, T2))
                .isInstanceOfSatisfying(ApplyConflictException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"alice\": .spec.replicas");
                    assertThat(e.conflicts()).containsExactly(new ApplyConflictException.Conflict("\"alice\"", ".spec.replicas"));
                });

        ObjectNode forced = ServerSideApply.apply(Optional.of(live), obj(bobConfig), "bob", true, T2);
        assertThat(forced.at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(entry(forced, "bob").get("fieldsV1")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
        assertThat(entry(forced, "alice").at("/fieldsV1/f:spec").has("f:replicas")).isFalse();
        assertThat(entry(forced, "alice").at("/fieldsV1/f:spec").has("f:selector")).isTrue();

        // alice re-applying her old replicas now conflicts with bob.
        assertThatThrownBy(() -> ServerSideApply.apply(Optional.of(forced), obj(deployment(2, "nginx:1.25")), "alice", false, T2))
                .isInstanceOfSatisfying(ApplyConflictException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"bob\": .spec.replicas"));
    }

    @Test
    void sameValueIsSharedWithoutConflict() throws Exception {
        ObjectNode live = create("alice", deployment(2, "nginx:1.25"));
        ObjectNode shared = ServerSideApply.apply(Optional.of(live),
                obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':2}}"), "bob", false, T2);
        assertThat(entry(shared, "bob").get("fieldsV1")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
        assertThat(entry(shared, "alice").at("/fieldsV1/f:spec").has("f:replicas")).isTrue();

        // alice stops applying replicas: bob still owns it, so it stays.
        ObjectNode withoutReplicas = obj(deployment(2, "nginx:1.25"));
        ((ObjectNode) withoutReplicas.get("spec")).remove("replicas");
        ObjectNode after = ServerSideApply.apply(Optional.of(shared), withoutReplicas, "alice", false, T2);
        assertThat(after.at("/spec/replicas").asInt()).isEqualTo(2);
    }

    @Test
    void conflictWithUpdateManagerNamesItsVersionAndNestedPath() throws Exception {
        ObjectNode created = ServerSideApply.trackUpdate(Optional.empty(), obj(deployment(2, "nginx:1.25")), "kubectl-client-side-apply", T1);
        assertThatThrownBy(() -> ServerSideApply.apply(Optional.of(created), obj(deployment(3, "nginx:1.26")), "kubectl", false, T2))
                .isInstanceOfSatisfying(ApplyConflictException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("""
                            Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:
                            - .spec.replicas
                            - .spec.template.spec.containers[name="nginx"].image""");
                    assertThat(e.conflicts()).extracting(ApplyConflictException.Conflict::field)
                            .containsExactly(".spec.replicas", ".spec.template.spec.containers[name=\"nginx\"].image");
                });
        ObjectNode noReplicas = obj(deployment(3, "nginx:1.25"));
        ((ObjectNode) noReplicas.get("spec")).remove("template");
        assertThatThrownBy(() -> ServerSideApply.apply(Optional.of(created), noReplicas, "kubectl", false, T2))
                .hasMessage("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas");
    }

    @Test
    void removesFieldsAndElementsNoLongerApplied() throws Exception {
        String two = """
                {'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'1','b':'2'}},
                 'spec':{'containers':[{'name':'main','image':'m','env':[{'name':'X','value':'1'}]},{'name':'side','image':'s'}]}}
                """;
        String one = "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'1'}},'spec':{'containers':[{'name':'main','image':'m'}]}}";
        ObjectNode live = create("kubectl", two);
        ObjectNode after = ServerSideApply.apply(Optional.of(live), obj(one), "kubectl", false, T2);
        assertThat(after.at("/metadata/labels")).isEqualTo(json("{'a':'1'}"));
        assertThat(after.at("/spec/containers")).isEqualTo(json("[{'name':'main','image':'m'}]"));
    }

    @Test
    void keepsElementAnotherManagerAddedTo() throws Exception {
        ObjectNode live = create("kubectl", "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'a'},{'name':'b','image':'b'}]}}");
        ObjectNode edited = live.deepCopy();
        ((ObjectNode) edited.at("/spec/containers/1")).put("imagePullPolicy", "Always");
        ObjectNode tracked = ServerSideApply.trackUpdate(Optional.of(live), edited, "editor", T2);
        ObjectNode after = ServerSideApply.apply(Optional.of(tracked),
                obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'a'}]}}"), "kubectl", false, T2);
        assertThat(after.at("/spec/containers")).isEqualTo(json("[{'name':'a','image':'a'},{'name':'b','imagePullPolicy':'Always'}]"));
    }

    @Test
    void liveWithoutManagedFieldsIsOwnedBeforeFirstApply() throws Exception {
        ObjectNode live = obj(deployment(2, "nginx:1.25"));
        assertThatThrownBy(() -> ServerSideApply.apply(Optional.of(live), obj(deployment(4, "nginx:1.25")), "kubectl", false, T2))
                .hasMessage("Apply failed with 1 conflict: conflict with \"before-first-apply\" using apps/v1: .spec.replicas");
    }

    @Test
    void rejectsBadApplyConfigurations() {
        assertThatThrownBy(() -> create("kubectl", "{'metadata':{'name':'x'}}"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> create("kubectl", "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'x','managedFields':[{'manager':'m'}]}}"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> ServerSideApply.apply(Optional.empty(), obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'x'}}"), "", false, T1))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    @Test
    void finalizersAreOwnedAsSetMembersAndCustomResourcesAsMaps() throws Exception {
        ObjectNode cm = create("kubectl", "{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w','finalizers':['x/y']},'spec':{'size':1,'list':[1,2]}}");
        assertThat(entry(cm, "kubectl").get("fieldsV1")).isEqualTo(json(
                "{'f:metadata':{'f:finalizers':{'v:\\\"x/y\\\"':{}}},'f:spec':{'f:list':{},'f:size':{}}}"));
    }

    @Test
    void trackUpdateTakesOwnershipOfChangedFields() throws Exception {
        ObjectNode created = ServerSideApply.trackUpdate(Optional.empty(), obj(deployment(2, "nginx:1.25")), "creator", T1);
        JsonNode createdEntry = entry(created, "creator");
        assertThat(createdEntry.get("operation").asText()).isEqualTo("Update");
        assertThat(createdEntry.at("/fieldsV1/f:spec").has("f:replicas")).isTrue();

        ObjectNode changed = created.deepCopy();
        ((ObjectNode) changed.get("spec")).put("replicas", 7);
        ((ObjectNode) changed.at("/metadata/labels")).remove("app");
        ObjectNode tracked = ServerSideApply.trackUpdate(Optional.of(created), changed, "scaler", T2);
        assertThat(tracked.at("/spec/replicas").asInt()).isEqualTo(7);
        assertThat(entry(tracked, "scaler").get("fieldsV1")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
        assertThat(entry(tracked, "scaler").get("time").asText()).isEqualTo("2026-01-02T04:00:00Z");
        assertThat(entry(tracked, "creator").at("/fieldsV1/f:spec").has("f:replicas")).isFalse();
        assertThat(entry(tracked, "creator").at("/fieldsV1/f:metadata").isMissingNode()).isTrue();
        assertThat(entry(tracked, "creator").get("time").asText()).isEqualTo("2026-01-02T03:04:05Z");

        // An update that changes nothing adds no entry.
        ObjectNode same = ServerSideApply.trackUpdate(Optional.of(tracked), tracked.deepCopy(), "noop", T2);
        assertThat(entry(same, "noop")).isNull();
        assertThat(same.at("/metadata/managedFields")).hasSize(2);
    }

    @Test
    void trackUpdateHonoursManagedFieldsTheClientReset() throws Exception {
        ObjectNode created = ServerSideApply.trackUpdate(Optional.empty(), obj(deployment(2, "nginx:1.25")), "creator", T1);
        ObjectNode reset = created.deepCopy();
        ((ObjectNode) reset.get("metadata")).set("managedFields", json("[{}]"));
        ((ObjectNode) reset.get("spec")).put("replicas", 3);
        ObjectNode tracked = ServerSideApply.trackUpdate(Optional.of(created), reset, "resetter", T2);
        assertThat(tracked.at("/metadata/managedFields")).hasSize(1);
        assertThat(entry(tracked, "resetter").get("fieldsV1")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));

        ObjectNode empty = created.deepCopy();
        ((ObjectNode) empty.get("metadata")).set("managedFields", json("[]"));
        ((ObjectNode) empty.get("spec")).put("replicas", 3);
        ObjectNode kept = ServerSideApply.trackUpdate(Optional.of(created), empty, "scaler", T2);
        assertThat(kept.at("/metadata/managedFields")).hasSize(2);
        assertThat(entry(kept, "creator")).isNotNull();
    }

    @Test
    void noOpReapplyKeepsTheObjectAsItWas() throws Exception {
        ObjectNode live = create("kubectl", deployment(2, "nginx:1.25"));
        ObjectNode again = ServerSideApply.apply(Optional.of(live), obj(deployment(2, "nginx:1.25")), "kubectl", false, T2);
        assertThat(again).isEqualTo(live);
    }

    @Test
    void subresourceWritesAreSeparateManagers() throws Exception {
        ObjectNode live = ServerSideApply.trackUpdate(Optional.empty(), obj(deployment(2, "nginx:1.25")), "kubectl", T1);
        ObjectNode withStatus = live.deepCopy();
        withStatus.putObject("status").put("replicas", 2);
        ObjectNode tracked = ServerSideApply.trackUpdate(Optional.of(live), withStatus, "kubectl", "status", T2);
        assertThat(tracked.at("/metadata/managedFields")).hasSize(2);
        JsonNode status = tracked.at("/metadata/managedFields/1");
        assertThat(status.get("subresource").asText()).isEqualTo("status");
        assertThat(status.get("fieldsV1")).isEqualTo(json("{'f:status':{'f:replicas':{}}}"));
        assertThat(tracked.at("/metadata/managedFields/0").has("subresource")).isFalse();
    }

    @Test
    void sortsEntriesAppliersFirstThenOldestFirst() throws Exception {
        ObjectNode live = ServerSideApply.trackUpdate(Optional.empty(), obj(deployment(2, "nginx:1.25")), "zed", T1);
        ObjectNode applied = ServerSideApply.apply(Optional.of(live),
                obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','annotations':{'a':'b'}}}"), "bob", false, T2);
        ObjectNode updated = applied.deepCopy();
        ((ObjectNode) updated.get("spec")).put("paused", true);
        ObjectNode tracked = ServerSideApply.trackUpdate(Optional.of(applied), updated, "amy", T2);
        assertThat(tracked.at("/metadata/managedFields")).extracting(e -> e.get("manager").asText()).containsExactly("bob", "zed", "amy");
    }

    @Test
    void rejectsDuplicateAndKeylessListElementsWith422() {
        assertThatThrownBy(() -> create("kubectl",
                "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'1'},{'name':'a','image':'2'}]}}"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422))
                .hasMessage(".spec.containers: duplicate entries for key [name=\"a\"]");
        assertThatThrownBy(() -> create("kubectl",
                "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'image':'1'}]}}"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422));
    }

    @Test
    void mergedListsKeepLiveOnlyElementsInPlaceAndFollowAppliedOrder() throws Exception {
        ObjectNode live = ServerSideApply.trackUpdate(Optional.empty(), obj(
                "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a'},{'name':'x'},{'name':'b'}]}}"), "other", T1);
        ObjectNode after = ServerSideApply.apply(Optional.of(live), obj(
                "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'b'},{'name':'n'},{'name':'a'}]}}"), "kubectl", false, T2);
        assertThat(after.at("/spec/containers")).extracting(c -> c.get("name").asText()).containsExactly("x", "b", "n", "a");
        ObjectNode appended = ServerSideApply.apply(Optional.of(live), obj(
                "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'n','image':'i'}]}}"), "kubectl", false, T2);
        assertThat(appended.at("/spec/containers")).extracting(c -> c.get("name").asText()).containsExactly("a", "x", "b", "n");
    }
}
