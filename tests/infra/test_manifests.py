"""infra/ read as data: the image, compose.yaml and the Kubernetes manifests keep the rules
of issue 11 (non-root multi-stage image, Redis that keeps jobs, gunicorn only behind the
proxy, probes, resources, autoscaling, migrations as a Job, branches from a ConfigMap)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from duo.core.settings import REPO_ROOT
from support import need

INFRA = REPO_ROOT / "infra"


def _docs(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def _k8s() -> dict[tuple[str, str], dict]:
    out = {}
    for path in sorted((INFRA / "k8s").glob("*.yaml")):
        for doc in _docs(path):
            out[(doc["kind"], doc["metadata"]["name"])] = doc
    return out


def _compose() -> dict:
    return yaml.safe_load((INFRA / "compose.yaml").read_text())


def test_the_image_is_multi_stage_and_runs_as_non_root() -> None:
    text = (INFRA / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+\S+(?:\s+AS\s+(\S+))?", text, re.MULTILINE | re.IGNORECASE)
    assert len(stages) >= 2
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert "COPY --from=build" in text
    assert "pybabel compile" in text  # catalogues are built, not committed
    assert "infra/gunicorn.conf.py" in text


def test_compose_has_every_process_and_gunicorn_only_behind_the_proxy() -> None:
    services = _compose()["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "scheduler", "proxy"} <= set(services)
    assert "ports" not in services["web"]
    assert services["web"]["command"] == ["gunicorn", "-c", "infra/gunicorn.conf.py"]
    published = {name for name, s in services.items() if s.get("ports")}
    assert published == {"proxy"}
    redis = " ".join(services["redis"]["command"])
    assert "--appendonly yes" in redis and "--maxmemory-policy noeviction" in redis
    assert services["worker"]["command"][:2] == ["duo", "worker"]
    assert services["scheduler"]["command"] == ["duo", "scheduler"]
    assert services["migrate"]["command"] == ["duo", "setup", "--no-demo"]
    caddy = (INFRA / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddy and "@metrics" in caddy


def test_gunicorn_config_writes_no_access_log_with_query_strings() -> None:
    spec = importlib.util.spec_from_file_location("gconf", INFRA / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.wsgi_app == "duo.wsgi:app"
    assert module.accesslog is None  # the app's JSON line replaces it
    assert module.workers >= 1 and module.timeout > 0


def test_kubernetes_web_and_worker_have_probes_resources_and_autoscaling() -> None:
    docs = _k8s()
    web = docs[("Deployment", "duo-web")]["spec"]["template"]["spec"]
    (container,) = web["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["securityContext"]["runAsNonRoot"] is True
    for name in ("duo-web", "duo-worker", "duo-scheduler"):
        spec = docs[("Deployment", name)]["spec"]["template"]["spec"]
        for c in spec["containers"]:
            assert c["resources"]["requests"]["cpu"] and c["resources"]["requests"]["memory"]
            assert c["resources"]["limits"]["memory"]
            refs = {next(iter(r)): next(iter(r.values()))["name"] for r in c["envFrom"]}
            assert refs == {"configMapRef": "duo-config", "secretRef": "duo-secrets"}
        volumes = {v["name"]: v for v in spec["volumes"]}
        assert volumes["tenants"]["configMap"]["name"] == "duo-tenants"
        assert volumes["countries"]["configMap"]["name"] == "duo-countries"
    worker = docs[("Deployment", "duo-worker")]["spec"]["template"]["spec"]
    assert worker["containers"][0]["command"][:2] == ["duo", "worker"]
    assert worker["terminationGracePeriodSeconds"] >= 60
    assert docs[("HorizontalPodAutoscaler", "duo-web")]["spec"]["scaleTargetRef"]["name"] == (
        "duo-web"
    )
    assert docs[("Service", "duo-web")]["spec"]["type"] == "ClusterIP"
    assert ("Ingress", "duo") in docs


def test_kubernetes_migrations_secrets_and_config() -> None:
    docs = _k8s()
    job = docs[("Job", "duo-migrate")]["spec"]["template"]["spec"]
    assert job["containers"][0]["command"] == ["duo", "setup", "--no-demo"]
    assert job["restartPolicy"] == "Never"
    secret = docs[("Secret", "duo-secrets")]
    assert {"DATABASE_URL", "SECRET_KEY", "DATABASE_APP_PASSWORD"} <= set(secret["stringData"])
    assert all(v == "CHANGE-ME" or "CHANGE-ME" in v for v in secret["stringData"].values())
    config = docs[("ConfigMap", "duo-config")]["data"]
    assert config["DUO_LOG_JSON"] == "true" and config["DUO_METRICS_ALLOW"]
    assert config["DUO_TENANTS_PATH"] == "/app/tenants"


def test_the_tenants_configmaps_hold_every_branch_file() -> None:
    spec = importlib.util.spec_from_file_location("tcm", INFRA / "k8s" / "tenants_configmap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tenants, countries = module.configmaps()["items"]
    files = {p.name: p.read_text() for p in (REPO_ROOT / "tenants").glob("*.toml")}
    assert tenants["metadata"]["name"] == "duo-tenants" and tenants["data"] == files
    country_files = {p.name for p in (REPO_ROOT / "tenants" / "countries").glob("*.toml")}
    assert set(countries["data"]) == country_files
    out = subprocess.run(
        ["python3", str(INFRA / "k8s" / "tenants_configmap.py")],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert yaml.safe_load(out.stdout)["kind"] == "List"


def test_every_kubernetes_manifest_is_valid_against_the_api_schemas() -> None:
    """kubeconform is a Go binary no registry here carries; kubernetes-validate (PyPI)
    checks the same thing: each object against the OpenAPI schemas of a Kubernetes
    release, strictly (an unknown field is an error, as a misspelt ``livenessProbe`` would
    be ignored by a cluster)."""
    import kubernetes_validate

    spec = importlib.util.spec_from_file_location("tcm", INFRA / "k8s" / "tenants_configmap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    docs = [doc for path in sorted((INFRA / "k8s").glob("*.yaml")) for doc in _docs(path)]
    docs += module.configmaps()["items"]
    version = kubernetes_validate.latest_version()
    for doc in docs:
        kubernetes_validate.validate(doc, version, strict=True)  # raises on any error
    assert len(docs) >= 10


def test_docker_compose_accepts_compose_yaml(tmp_path) -> None:
    """``docker-compose config`` (Debian's, installed by ``.ci/run``) resolves and checks
    the file as Compose itself will. That release predates the top-level ``name`` key
    (Compose v2 reads it; ``-p duo`` does the same), so the copy it checks leaves that
    one line out; everything else is checked as written."""
    exe = shutil.which("docker-compose")
    need(exe is not None, "docker-compose is not installed (apt-get install docker-compose)")
    text = (INFRA / "compose.yaml").read_text()
    assert re.search(r"^name: duo$", text, re.M)
    checked = INFRA / f".compose-check-{tmp_path.name}.yaml"
    checked.write_text(re.sub(r"^name: duo\n", "", text, flags=re.M))
    env = {
        "PATH": "/usr/bin:/bin",
        "POSTGRES_PASSWORD": "x",
        "SECRET_KEY": "x",
        "DUO_APP_PASSWORD": "x",
        "DUO_DOMAIN": "duo.example.org",
    }
    try:
        done = subprocess.run(
            [exe, "-f", str(checked), "-p", "duo", "config"],
            capture_output=True,
            text=True,
            env=env,
            cwd=str(INFRA),
            timeout=120,
        )
    finally:
        checked.unlink()
    assert done.returncode == 0, done.stderr
    resolved = yaml.safe_load(done.stdout)
    assert {"postgres", "redis", "web", "worker", "scheduler", "proxy"} <= set(resolved["services"])

    # and it refuses a file that is wrong, so the check above means something
    broken = INFRA / f".compose-broken-{tmp_path.name}.yaml"
    broken.write_text(
        "services:\n  web:\n    image: x\n    restart: sometimes-maybe\n    ports: 7\n"
    )
    try:
        bad = subprocess.run(
            [exe, "-f", str(broken), "config"], capture_output=True, text=True, env=env, timeout=120
        )
    finally:
        broken.unlink()
    assert bad.returncode != 0
