"""Vanilla's own OpenAPI fragments (``shared/vanilla/openapi/``, GPL-2.0: read where they are, never copied)
as the judge of our demo's answers.

``check(response, method, path)`` finds the operation in the fragments (``/discussions/{id}``), takes
the schema of the answered status and validates the body with ``openapi-schema-validator`` (OpenAPI
3.0's dialect: ``nullable``, ``x-*`` keys), following the fragments' relative ``$ref``s between files
with a ``referencing`` registry that reads them from disk."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from jsonschema import ValidationError, validators
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4


def _find_spec_dir() -> Path | None:
    """``shared/vanilla/openapi`` beside the repository (``../shared``), or beside a folder above it (a git
    worktree under ``wt/``); ``MODCONSOLE_SHARED_DIR`` names the ``shared`` folder outright."""
    env = os.environ.get("MODCONSOLE_SHARED_DIR")
    candidates = [Path(env)] if env else []
    candidates += [p / "shared" for p in Path(__file__).resolve().parents[3].parents]
    for c in candidates:
        if (c / "vanilla" / "openapi").is_dir():
            return c / "vanilla" / "openapi"
    return None


SPEC_DIR = _find_spec_dir()


def spec_dir() -> Path:
    if SPEC_DIR is None:
        # GPL data read in place, never copied into the project: a checkout without it beside it cannot
        # check shapes against Vanilla's own spec. The behaviour tests of this suite still run there.
        pytest.skip(
            "Vanilla's OpenAPI fragments (shared/vanilla/openapi) are not beside the repository; "
            "set MODCONSOLE_SHARED_DIR to check answers against them"
        )
    return SPEC_DIR


@functools.cache
def _load(path: str) -> Any:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _retrieve(uri: str) -> Resource[Any]:
    return Resource.from_contents(_load(uri.removeprefix("file://")), default_specification=DRAFT4)


def _enum(validator: Any, enums: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    """``enum`` as OpenAPI 3.0.2 meant it beside ``nullable: true``: null is allowed too (3.0.3 later asked
    for null inside the enum; the fragments are 3.0.2 and Vanilla sends ``"pinLocation": null``)."""
    if instance is None and schema.get("nullable") is True:
        return
    yield from _draft4_enum(validator, enums, instance, schema)


_draft4_enum = OAS30Validator.VALIDATORS["enum"]
Validator = validators.extend(OAS30Validator, {"enum": _enum})

REGISTRY: Registry[Any] = Registry(retrieve=_retrieve)  # type: ignore[call-arg]


@functools.cache
def _operations() -> dict[tuple[str, str], tuple[Path, dict[str, Any]]]:
    ops: dict[tuple[str, str], tuple[Path, dict[str, Any]]] = {}
    for f in sorted(spec_dir().rglob("*.y*ml")):
        doc = _load(str(f))
        for path, item in (doc.get("paths") or {}).items():
            for method, op in (item or {}).items():
                if isinstance(op, dict) and "responses" in op:
                    ops[(method.upper(), path)] = (f, op)
    return ops


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def schema_ref(method: str, path: str, status: int) -> dict[str, Any]:
    """``{"$ref": "file:///…/x.yml#/paths/…/schema"}`` for the documented answer."""
    found = _operations().get((method.upper(), path))
    if found is None:
        raise AssertionError(f"the fragments document no {method} {path}")
    file, op = found
    resp = op["responses"].get(str(status))
    if resp is None:
        raise AssertionError(f"{method} {path} documents no {status} (has {sorted(op['responses'])})")
    if "content" not in resp:
        raise AssertionError(f"{method} {path} {status} documents no body")
    media = next(iter(resp["content"]))
    return {
        "$ref": f"file://{file}#/"
        + _pointer("paths", path, method.lower(), "responses", str(status), "content", media, "schema")
    }


def component(file: str, name: str) -> dict[str, Any]:
    """A named schema of a fragment, e.g. ``component("applications/dashboard/openapi/responses.yml",
    "responses/NotFound")``."""
    parts = name.split("/")
    if parts[0] == "responses":
        ptr = _pointer("components", "responses", parts[1], "content", "application/json", "schema")
    else:
        ptr = _pointer("components", "schemas", name)
    return {"$ref": f"file://{spec_dir() / file}#/{ptr}"}


def validate(body: Any, schema: dict[str, Any]) -> None:
    errors = sorted(
        Validator(schema, registry=REGISTRY, format_checker=oas30_format_checker).iter_errors(body),
        key=lambda e: list(e.absolute_path),
    )
    if errors:
        lines = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:300]}" for e in errors[:8]]
        raise AssertionError("does not validate against Vanilla's fragment:\n" + "\n".join(lines))


def check(resp: httpx.Response, method: str, path: str) -> Any:
    """Validate ``resp`` (status and body) against the fragments' schema for ``method path``."""
    body = resp.json()
    validate(body, schema_ref(method, path, resp.status_code))
    return body
