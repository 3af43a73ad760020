"""The OpenAPI schema is served, valid OpenAPI 3, and documents the case endpoints."""

from __future__ import annotations

import pytest
import yaml
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_schema_endpoint_serves_valid_openapi():
    r = APIClient().get("/api/schema/")
    assert r.status_code == 200
    schema = yaml.safe_load(r.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document
    paths = schema["paths"]
    assert {"/api/v1/cases/", "/api/v1/cases/{id}/", "/api/v1/cases/{id}/transitions/{name}/",
            "/api/v1/auth/token/", "/api/v1/kinds/"} <= set(paths)
    assert paths["/api/v1/kinds/"]["get"]["summary"].startswith("案件类型")
    assert "open_fields" in paths["/api/v1/cases/"]["post"]["description"]
    fire = paths["/api/v1/cases/{id}/transitions/{name}/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(fire["responses"])
    assert {"application/json", "multipart/form-data"} <= set(fire["requestBody"]["content"])
    assert "draft_reply" in fire["description"] and "attachment" in fire["description"]
    assert {p["name"] for p in paths["/api/v1/cases/"]["get"]["parameters"]} >= {
        "kind", "state", "category", "is_key", "q", "unit", "page"}

    as_json = APIClient().get("/api/schema/", {"format": "json"})
    assert as_json.status_code == 200 and as_json.json()["paths"].keys() == paths.keys()
