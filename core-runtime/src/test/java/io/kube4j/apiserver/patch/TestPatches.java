package io.kube4j.apiserver.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPatches {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static ObjectNode obj(String text) {
        return (ObjectNode) json(text);
    }

    private static JsonNode jsonPatch(String target, String patch) throws PatchException {
        return Patches.jsonPatch(obj(target), json(patch));
    }

    // RFC 6902 appendix A examples.

    @Test
    void addsObjectMember() throws Exception {
        assertThat(jsonPatch("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]"))
                .isEqualTo(json("{'baz':'qux','foo':'bar'}"));
    }

    @Test
    void addsArrayElement() throws Exception {
        assertThat(jsonPatch("{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]"))
                .isEqualTo(json("{'foo':['bar','qux','baz']}"));
    }

    @Test
    void removesObjectMemberAndArrayElement() throws Exception {
        assertThat(jsonPatch("{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]"))
                .isEqualTo(json("{'foo':'bar'}"));
        assertThat(jsonPatch("{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]"))
                .isEqualTo(json("{'foo':['bar','baz']}"));
    }

    @Test
    void replacesValue() throws Exception {
        assertThat(jsonPatch("{'baz':'qux','foo':'bar'}", "[{'op':'replace','path':'/baz','value':'boo'}]"))
                .isEqualTo(json("{'baz':'boo','foo':'bar'}"));
    }

    @Test
    void movesValueAndArrayElement() throws Exception {
        assertThat(jsonPatch("{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
                "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]"))
                .isEqualTo(json("{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}"));
        assertThat(jsonPatch("{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]"))
                .isEqualTo(json("{'foo':['all','cows','eat','grass']}"));
    }

    @Test
    void copiesValue() throws Exception {
        assertThat(jsonPatch("{'a':{'b':1}}", "[{'op':'copy','from':'/a','path':'/c'}]"))
                .isEqualTo(json("{'a':{'b':1},'c':{'b':1}}"));
    }

    @Test
    void testSucceedsAndFailsWith422() throws Exception {
        assertThat(jsonPatch("{'baz':'qux','foo':['a',2,'c']}",
                "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]"))
                .isEqualTo(json("{'baz':'qux','foo':['a',2,'c']}"));
        assertThatThrownBy(() -> jsonPatch("{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422));
    }

    @Test
    void addsNestedMemberObject() throws Exception {
        assertThat(jsonPatch("{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]"))
                .isEqualTo(json("{'foo':'bar','child':{'grandchild':{}}}"));
    }

    @Test
    void missingTargetIs422() {
        assertThatThrownBy(() -> jsonPatch("{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422));
        assertThatThrownBy(() -> jsonPatch("{'foo':'bar'}", "[{'op':'remove','path':'/nope'}]"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422));
        assertThatThrownBy(() -> jsonPatch("{'foo':['a']}", "[{'op':'add','path':'/foo/5','value':'x'}]"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422));
    }

    @Test
    void escapesTildeAndSlash() throws Exception {
        assertThat(jsonPatch("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10},{'op':'replace','path':'/~1','value':1}]"))
                .isEqualTo(json("{'/':1,'~1':10}"));
        assertThat(jsonPatch("{'metadata':{'labels':{}}}",
                "[{'op':'add','path':'/metadata/labels/app.kubernetes.io~1name','value':'x'}]"))
                .isEqualTo(json("{'metadata':{'labels':{'app.kubernetes.io/name':'x'}}}"));
    }

    @Test
    void appendsWithDashIndex() throws Exception {
        assertThat(jsonPatch("{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]"))
                .isEqualTo(json("{'foo':['bar',['abc','def']]}"));
    }

    @Test
    void numbersCompareByValue() throws Exception {
        assertThat(jsonPatch("{'foo':1}", "[{'op':'test','path':'/foo','value':1.0}]")).isEqualTo(json("{'foo':1}"));
    }

    @Test
    void malformedPatchIs400() {
        for (String patch : new String[] {"{'op':'add'}", "[{'op':'frobnicate','path':'/a'}]", "[{'op':'add','path':'/a'}]",
                "[{'path':'/a','value':1}]", "[{'op':'move','path':'/a'}]", "[{'op':'add','path':'a','value':1}]"}) {
            assertThatThrownBy(() -> jsonPatch("{'a':1}", patch))
                    .as(patch)
                    .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400));
        }
    }

    @Test
    void leavesInputUntouchedAndFailsAtomically() {
        ObjectNode target = obj("{'a':{'b':1}}");
        assertThatThrownBy(() -> Patches.jsonPatch(target,
                json("[{'op':'replace','path':'/a/b','value':2},{'op':'test','path':'/a/b','value':3}]")))
                .isInstanceOf(PatchException.class);
        assertThat(target).isEqualTo(json("{'a':{'b':1}}"));
    }

    @Test
    void moveIntoOwnChildFails() {
        assertThatThrownBy(() -> jsonPatch("{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/a/c'}]"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422));
    }

    @Test
    void mergePatchRfc7386Example() throws Exception {
        ObjectNode target = obj("{'title':'Goodbye!','author':{'givenName':'John','familyName':'Doe'},'tags':['example','sample'],'content':'This will be unchanged'}");
        JsonNode patch = json("{'title':'Hello!','phoneNumber':'+01-123-456-7890','author':{'familyName':null},'tags':['example']}");
        assertThat(Patches.mergePatch(target, patch)).isEqualTo(json(
                "{'title':'Hello!','author':{'givenName':'John'},'tags':['example'],'content':'This will be unchanged','phoneNumber':'+01-123-456-7890'}"));
        assertThat(target.get("title").asText()).isEqualTo("Goodbye!");
    }

    @Test
    void mergePatchRfc7386TestCases() throws Exception {
        String[][] cases = {
                {"{'a':'b'}", "{'a':'c'}", "{'a':'c'}"},
                {"{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}"},
                {"{'a':'b'}", "{'a':null}", "{}"},
                {"{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}"},
                {"{'a':['b']}", "{'a':'c'}", "{'a':'c'}"},
                {"{'a':'c'}", "{'a':['b']}", "{'a':['b']}"},
                {"{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}"},
                {"{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}"},
                {"{'e':null}", "{'a':1}", "{'e':null,'a':1}"},
                {"{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}"},
        };
        for (String[] c : cases) {
            assertThat(Patches.mergePatch(obj(c[0]), json(c[1]))).as(c[1]).isEqualTo(json(c[2]));
        }
        assertThatThrownBy(() -> Patches.mergePatch(obj("{}"), json("['a']")))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400));
    }
}
