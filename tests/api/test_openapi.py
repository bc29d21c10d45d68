"""The OpenAPI document tells the truth: each operation lists the errors it can answer
with the error schema, lists are paged, and no two schemas share a name (ninja would
document one in place of the other)."""

from collections import Counter

import pytest
from ninja import Schema
from openapi_spec_validator import validate

import pregon.api  # noqa: F401 - loads every app's router and its schemas

ERROR_REF = "#/components/schemas/ErrorOut"


@pytest.fixture
def spec(client, db) -> dict:
    return client.get("/api/v1/openapi.json").json()


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def _ref(response: dict) -> str | None:
    return response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")


def test_document_is_valid_openapi(spec):
    validate(spec)


def test_every_operation_declares_its_errors(spec):
    missing = []
    for name, operation in _operations(spec):
        wanted = {"404", "409", "422"}
        if operation.get("security"):
            wanted |= {"401", "403"}
        body = operation.get("requestBody", {}).get("content", {})
        if body:
            wanted |= {"413"}
        if "application/json" in body:
            wanted |= {"400", "415"}
        responses = {str(code): body for code, body in operation["responses"].items()}
        for code in wanted:
            body = responses.get(code)
            if body is None or (_ref(body) != ERROR_REF and code not in ("409", "422")):
                missing.append(f"{name} {code}")
    assert missing == []
    error = spec["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"detail"}


def test_protected_operations_say_401_and_403_with_the_error_schema(spec):
    publications = spec["paths"]["/api/v1/publications"]["get"]["responses"]
    assert _ref(publications["401"]) == _ref(publications["403"]) == ERROR_REF
    answer = spec["paths"]["/api/v1/public/surveys/{slug}/answers"]["post"]
    assert "401" not in answer["responses"]  # the public survey needs no token


def test_schema_names_are_unique():
    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    names = Counter(s.__name__ for s in set(every(Schema)) if s.__module__.startswith("pregon."))
    assert [name for name, count in names.items() if count > 1] == []


def test_channel_accounts_documented_with_their_own_schema(spec):
    listed = spec["paths"]["/api/v1/channel-accounts"]["get"]["responses"]["200"]
    page = spec["components"]["schemas"][_ref(listed).rsplit("/", 1)[1]]
    item_ref = page["properties"]["items"]["items"]["$ref"]
    item = spec["components"]["schemas"][item_ref.rsplit("/", 1)[1]]
    assert {"has_credentials", "base_url", "check_ok"} <= set(item["properties"])
    measured = spec["paths"]["/api/v1/analytics/accounts"]["get"]["responses"]["200"]
    page = spec["components"]["schemas"][_ref(measured).rsplit("/", 1)[1]]
    item_ref = page["properties"]["items"]["items"]["$ref"]
    assert "followers" in spec["components"]["schemas"][item_ref.rsplit("/", 1)[1]]["properties"]


def test_lists_document_their_bounds(spec):
    params = {p["name"]: p for p in spec["paths"]["/api/v1/deliveries"]["get"]["parameters"]}
    assert params["limit"]["schema"]["maximum"] == 500
    assert params["limit"]["schema"]["minimum"] == 1
    assert params["offset"]["schema"]["minimum"] == 0
    assert params["publication"]["schema"]["anyOf"][0]["maximum"] == 2**63 - 1


def _integers(schema: dict, components: dict, where: str, seen: set):
    """Every integer a client can send, with where it is (refs followed once)."""
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[1]
        if name not in seen:
            yield from _integers(components[name], components, f"{where}>{name}", seen | {name})
        return
    if schema.get("type") == "integer":
        yield where, schema
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            yield from _integers(part, components, where, seen)
    for name, prop in schema.get("properties", {}).items():
        yield from _integers(prop, components, f"{where}.{name}", seen)
    if "items" in schema:
        yield from _integers(schema["items"], components, f"{where}[]", seen)


def test_every_integer_a_client_sends_is_bounded(spec):
    """The database holds 64-bit integers at most; an unbounded one is a 500 waiting."""
    components = spec["components"]["schemas"]
    unbounded = []
    for name, operation in _operations(spec):
        sources = [(p["name"], p["schema"]) for p in operation.get("parameters", [])]
        for kind, body in operation.get("requestBody", {}).get("content", {}).items():
            sources.append((kind, body["schema"]))
        for label, schema in sources:
            for where, integer in _integers(schema, components, f"{name} {label}", set()):
                if "maximum" not in integer or "minimum" not in integer:
                    unbounded.append(where)
    assert unbounded == []
