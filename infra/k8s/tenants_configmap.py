#!/usr/bin/env python3
"""Print the ConfigMaps holding ``tenants/``: ``duo-tenants`` (one key per branch file)
and ``duo-countries`` (``tenants/countries/*.toml``), as one List.

    python infra/k8s/tenants_configmap.py | kubectl apply -f -

The Deployments mount the first at ``/app/tenants`` and the second at
``/app/tenants/countries`` (a ConfigMap key cannot hold a "/"). Built from the files each
time: there is no second copy of a branch's configuration to drift, and a new branch is
a new file, this command, ``duo-migrate`` and a rollout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _configmap(name: str, folder: Path) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "labels": {"app.kubernetes.io/name": "duo"}},
        "data": {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.toml"))},
    }


def configmaps(tenants: Path = ROOT / "tenants") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            _configmap("duo-tenants", tenants),
            _configmap("duo-countries", tenants / "countries"),
        ],
    }


if __name__ == "__main__":
    # JSON is valid YAML: kubectl reads it as it is.
    json.dump(configmaps(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
