"""Property-based requests from /openapi.json (schemathesis, in-process ASGI): no server errors, and every
response matches the documented schema. Kept short for CI: a few dozen examples per operation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from bot.api.app import create_app
from tests.conftest import make_settings, share_index

# A route serving GET and POST under one function makes FastAPI warn about a shared operation id; the schema
# is still valid, and the warning must not turn /openapi.json into a 500 under `filterwarnings = error`.
pytestmark = pytest.mark.filterwarnings("ignore:Duplicate Operation ID:UserWarning")
MAX_EXAMPLES = 25
# Not checked: "schema-valid data is accepted". The question's limits apply after trimming whitespace, which
# JSON Schema cannot express, so "   " is schema-valid and rightly refused with 422.
SENT: dict[str, int] = {}


@pytest.fixture(scope="module")
def api_app(built_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    data_dir = tmp_path_factory.mktemp("schema-data")
    data_dir.rmdir()
    share_index(built_data_dir, data_dir)
    app = create_app(make_settings(data_dir))
    with TestClient(app):  # runs the lifespan: bot, store and limiter are loaded once for every case
        yield app
    print(f"\nschemathesis: {sum(SENT.values())} requests over {len(SENT)} operations: {SENT}")


def test_api_matches_its_schema(api_app: Any) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", api_app)
    results: list[Any] = list(schema.get_all_operations())
    operations = [result.ok() for result in results]
    assert {"/v1/ask", "/v1/feedback", "/readyz"} <= {op.path for op in operations}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            label = f"{case.method} {case.path}"
            SENT[label] = SENT.get(label, 0) + 1
            response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
            assert response.status_code < 500

        check()
    assert sum(SENT.values()) >= len(operations)


def test_deploy_files_parse_and_hold_what_production_needs() -> None:
    import yaml

    deploy = Path(__file__).resolve().parents[2] / "deploy"
    compose = yaml.safe_load((deploy / "docker-compose.yml").read_text())
    assert compose["services"]["bot"]["deploy"]["replicas"] >= 2
    assert {"redis", "proxy"} <= set(compose["services"])
    assert compose["services"]["bot"]["environment"]["BOT_REDIS_URL"].startswith("redis://")
    assert "reverse_proxy bot:8000" in (deploy / "Caddyfile").read_text()
    docs = [d for p in sorted((deploy / "k8s").glob("*.yaml")) for d in yaml.safe_load_all(p.read_text()) if d]
    kinds = {d["kind"] for d in docs}
    assert {"Deployment", "Service", "HorizontalPodAutoscaler", "Secret"} <= kinds
    bot = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "hrbot")
    container = bot["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    secret = next(d for d in docs if d["kind"] == "Secret")
    assert {"BOT_TWILIO_AUTH_TOKEN", "BOT_HASH_SECRET"} <= set(secret["stringData"])
    assert {"requests", "limits"} <= set(container["resources"])
    assert any(d["kind"] == "PodDisruptionBudget" for d in docs)
    # Only the ingress controller's addresses are trusted for X-Forwarded-For, not a whole private range.
    config = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "hrbot-config")
    assert config["data"]["BOT_TRUSTED_PROXIES"] not in {"", "10.0.0.0/8", "0.0.0.0/0"}
    # Redis keeps opt-outs across restarts: append-only file on a claimed volume, in compose and Kubernetes.
    redis = next(d for d in docs if d["kind"] == "StatefulSet" and d["metadata"]["name"] == "hrbot-redis")
    assert _after(redis["spec"]["template"]["spec"]["containers"][0]["args"], "--appendonly") == "yes"
    assert redis["spec"]["volumeClaimTemplates"]
    assert _after(compose["services"]["redis"]["command"], "--appendonly") == "yes"
    assert any(v.endswith(":/data") for v in compose["services"]["redis"]["volumes"])


def _after(args: list[str], flag: str) -> str:
    return args[args.index(flag) + 1]
