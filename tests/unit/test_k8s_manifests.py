"""The Kubernetes base (deploy/k8s/) is valid and secure, checked offline with the tools in .venv-deploy
(scripts/setup.sh --dev installs requirements-deploy.lock there):

* kubernetes-validate --strict on the kustomization as `kubectl apply -k` would send it. No kustomize binary is
  needed: render() below applies the few kustomize features the base uses (resources, namespace, labels,
  images) and refuses any other, so it cannot silently drop one.
* checkov on deploy/ and the Dockerfile: zero failed checks (a deliberate skip would carry its reason in the file).
* The files agree with each other and with the image: selectors, ports, the health endpoint, the user.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import ROOT

K8S = ROOT / "deploy" / "k8s"
TOOLS = ROOT / ".venv-deploy" / "bin"
DIGEST = re.compile(r"^[^@:]+(:[\w.-]+)?@sha256:[0-9a-f]{64}$")
KNOWN = {"apiVersion", "kind", "namespace", "labels", "resources", "images"}


def tool(name: str) -> str:
    path = TOOLS / name
    if not path.exists():
        pytest.skip(f"{name} is not installed: `bash scripts/setup.sh --dev` puts it in .venv-deploy")
    return str(path)


def render(folder: Path = K8S) -> list[dict[str, Any]]:
    """The kustomization's objects with its namespace, labels and image digests applied, as kustomize does."""
    kust = yaml.safe_load((folder / "kustomization.yaml").read_text(encoding="utf-8"))
    unknown = set(kust) - KNOWN
    assert not unknown, f"render() does not apply {unknown}: teach it, or validate with kustomize"
    images = {i["name"]: i for i in kust.get("images", [])}
    labels = {k: v for entry in kust.get("labels", []) for k, v in entry["pairs"].items()}
    assert all(not entry.get("includeSelectors") for entry in kust.get("labels", [])), "selectors stay as written"
    objects = []
    for resource in kust["resources"]:
        for obj in yaml.safe_load_all((folder / resource).read_text(encoding="utf-8")):
            meta = obj["metadata"]
            if obj["kind"] != "Namespace" and "namespace" in kust:
                meta["namespace"] = kust["namespace"]
            meta["labels"] = {**meta.get("labels", {}), **labels}
            for container in containers(obj):
                name = re.split(r"[@:]", container["image"])[0]
                if name in images:
                    image = images[name]
                    container["image"] = image.get("newName", name) + (
                        f"@{image['digest']}" if "digest" in image else f":{image['newTag']}"
                    )
            objects.append(obj)
    return objects


def containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    spec = obj.get("spec", {}).get("template", {}).get("spec", {})
    return [*spec.get("initContainers", []), *spec.get("containers", [])]


def by_kind(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    kinds = [o["kind"] for o in objects]
    assert len(kinds) == len(set(kinds)), kinds
    return {o["kind"]: o for o in objects}


def validate(tmp_path: Path, objects: list[dict[str, Any]]) -> subprocess.CompletedProcess[str]:
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(yaml.safe_dump_all(objects, sort_keys=False), encoding="utf-8")
    cmd = [tool("kubernetes-validate"), "--strict", "--quiet", str(rendered)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_the_rendered_base_is_valid_kubernetes_in_strict_mode(tmp_path):
    objects = render()
    assert set(by_kind(objects)) == {
        "Namespace",
        "Deployment",
        "Service",
        "Ingress",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
        "NetworkPolicy",
    }
    out = validate(tmp_path, objects)
    assert out.returncode == 0, out.stdout + out.stderr


def test_strict_validation_rejects_a_misspelt_field(tmp_path):
    """The check can fail: a field Kubernetes does not know (here one misspelt) is an error, not ignored."""
    objects = render()
    deployment = by_kind(objects)["Deployment"]
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
    out = validate(tmp_path, objects)
    assert out.returncode != 0 and "readinessProbes" in out.stdout + out.stderr, out.stdout + out.stderr


def test_checkov_finds_no_failed_check_in_the_manifests_and_the_dockerfile():
    files = [ROOT / "Dockerfile", *sorted(K8S.glob("*.yaml"))]
    cmd = [tool("checkov"), *[a for f in files for a in ("-f", str(f))], "--framework", "kubernetes,dockerfile"]
    cmd += ["--skip-download", "--compact", "--quiet", "-o", "json"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    reports = json.loads(out.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    summary = {r["check_type"]: r["summary"] for r in reports}
    assert set(summary) == {"kubernetes", "dockerfile"}, out.stdout[-2000:] + out.stderr[-2000:]
    failed = [
        f"{c['check_id']} {c['check_name']} ({c['file_path']}: {c['resource']})"
        for r in reports
        for c in r["results"].get("failed_checks", [])
    ]
    assert not failed and not any(s["failed"] or s["parsing_errors"] for s in summary.values()), "\n".join(failed)
    assert summary["kubernetes"]["passed"] >= 80 and summary["dockerfile"]["passed"] >= 20, summary
    for r in reports:  # a deliberate skip says why, in the file (# checkov:skip=CKV_...: reason)
        for c in r["results"].get("skipped_checks", []):
            assert (c.get("suppress_comment") or "").strip(), c["check_id"]


def test_the_pieces_fit_together_and_match_the_image():
    kinds = by_kind(render())
    deployment, service = kinds["Deployment"], kinds["Service"]
    pod = deployment["spec"]["template"]
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector.items() <= pod["metadata"]["labels"].items()
    for kind in ("Service", "PodDisruptionBudget", "NetworkPolicy"):
        spec = kinds[kind]["spec"]
        chosen = (
            spec.get("selector", {}).get("matchLabels") or spec.get("selector") or spec["podSelector"]["matchLabels"]
        )
        assert chosen == selector, kind
    assert kinds["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    assert kinds["HorizontalPodAutoscaler"]["spec"]["minReplicas"] >= 2, "one replica down must leave one serving"
    assert kinds["PodDisruptionBudget"]["spec"]["minAvailable"] >= 1

    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    (container,) = pod["spec"]["containers"]
    port = container["ports"][0]["containerPort"]
    assert f"EXPOSE {port}" in dockerfile and f"--server.port={port}" in dockerfile
    assert DIGEST.match(container["image"]), container["image"]
    uid = int(re.search(r"useradd .*--uid (\d+)", dockerfile).group(1))
    assert pod["spec"]["securityContext"]["runAsUser"] == container["securityContext"]["runAsUser"] == uid
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/_stcore/health", probe
    assert pod["spec"]["automountServiceAccountToken"] is False
    sc = container["securityContext"]
    assert sc["readOnlyRootFilesystem"] and not sc["allowPrivilegeEscalation"] and sc["capabilities"]["drop"] == ["ALL"]
    writable = {m["mountPath"] for m in container["volumeMounts"]}
    assert writable == {"/tmp"}, writable
    assert service["spec"]["ports"][0]["targetPort"] in ("http", port)
    np_ports = [p["port"] for rule in kinds["NetworkPolicy"]["spec"]["ingress"] for p in rule["ports"]]
    assert np_ports == [port]

    ingress = kinds["Ingress"]
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(notes[f"nginx.ingress.kubernetes.io/{timeout}"]) >= 600, "idle websockets need long timeouts"
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
