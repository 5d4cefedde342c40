"""The official Kubernetes Python client against a kube4j cluster.

Usage: python3 client_compat.py KUBECONFIG NAMESPACE

Prints one JSON object with what each check saw and exits non-zero when a check fails,
so the Java test can assert on both.
"""
import json
import sys
import time
import traceback

from kubernetes import client, config, watch


def configmap(name, data, labels=None):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels=labels), data=data)


def list_pages(core, ns):
    for i in range(5):
        core.create_namespaced_config_map(ns, configmap("page-%d" % i, {"i": str(i)}, {"set": "paged"}))
    pages = []
    token = None
    while True:
        kwargs = {"limit": 2, "label_selector": "set=paged"}
        if token:
            kwargs["_continue"] = token
        page = core.list_namespaced_config_map(ns, **kwargs)
        pages.append([item.metadata.name for item in page.items])
        token = page.metadata._continue
        if not token:
            return {"pages": pages}


def watch_from(core, ns):
    start = core.list_namespaced_config_map(ns).metadata.resource_version
    # Made after the list and before the watch: resuming from the list's version must replay it.
    core.create_namespaced_config_map(ns, configmap("watched", {"v": "1"}))
    seen = []
    w = watch.Watch()
    began = time.monotonic()
    # Each change is made only once the previous event has arrived, so an event that the
    # server holds back shows up as a missing event, not just as a slow test.
    for event in w.stream(core.list_namespaced_config_map, ns, resource_version=start,
                          field_selector="metadata.name=watched", timeout_seconds=20):
        obj = event["object"]
        seen.append({"type": event["type"], "name": obj.metadata.name, "data": obj.data,
                     "resourceVersion": obj.metadata.resource_version,
                     "after": round(time.monotonic() - began, 3)})
        if event["type"] == "ADDED":
            core.patch_namespaced_config_map("watched", ns, {"data": {"v": "2"}})
        elif event["type"] == "MODIFIED":
            core.delete_namespaced_config_map("watched", ns)
        elif event["type"] == "DELETED":
            w.stop()
    return {"from": start, "events": seen, "seconds": round(time.monotonic() - began, 3)}


def scale(apps, ns):
    body = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="scaled"),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels={"app": "scaled"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "scaled"}),
                spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="busybox")]))))
    apps.create_namespaced_deployment(ns, body)
    patched = apps.patch_namespaced_deployment_scale("scaled", ns, {"spec": {"replicas": 3}})
    read = apps.read_namespaced_deployment_scale("scaled", ns)
    deployment = apps.read_namespaced_deployment("scaled", ns)
    return {"patchedKind": patched.kind, "patchedReplicas": patched.spec.replicas,
            "readReplicas": read.spec.replicas, "deploymentReplicas": deployment.spec.replicas,
            "selector": read.status.selector}


def main():
    kubeconfig, ns = sys.argv[1], sys.argv[2]
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    apps = client.AppsV1Api()
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))
    result = {}
    failed = False
    for name, check in (("list", lambda: list_pages(core, ns)),
                        ("watch", lambda: watch_from(core, ns)),
                        ("scale", lambda: scale(apps, ns))):
        try:
            result[name] = check()
        except Exception as e:  # report every check, not just the first failure
            failed = True
            result[name] = {"error": repr(e), "trace": traceback.format_exc()}
    print(json.dumps(result))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
