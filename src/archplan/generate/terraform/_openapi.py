"""The OpenAPI 2.0 document API Gateway and Cloud Endpoints are configured with, built from the plan's
routes as an HCL object (written with yamlencode, so every value is escaped by Terraform itself)."""
from __future__ import annotations

import re

from archplan.components.base import Component
from archplan.generate.context import ident


def operation_id(path: str, method: str) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "root"
    return f"{method.lower()}_{words}"


def document(component: Component, host, backend_address=None) -> dict:
    spec = component.spec
    doc: dict = {
        "swagger": "2.0",
        "info": {"title": component.name, "version": "1.0.0",
                 "description": " ".join((spec.description or f"{component.name} API").split())},
        "schemes": ["https"],
        "produces": ["application/json"],
    }
    if host is not None:
        doc = {**{k: doc[k] for k in ("swagger", "info")}, "host": host, **{k: doc[k] for k in ("schemes", "produces")}}
    if backend_address is not None:
        doc["x-google-backend"] = {"address": backend_address, "path_translation": "APPEND_PATH_TO_ADDRESS"}
    if spec.api_key_required:
        doc["securityDefinitions"] = {"api_key": {"type": "apiKey", "name": "key", "in": "query"}}
        doc["security"] = [{"api_key": []}]
    paths: dict = {}
    for route in spec.routes:
        operations = paths.setdefault(route.path, {})
        for method in route.methods:
            parameters = [{"name": name, "in": "path", "required": True, "type": "string"}
                          for name in re.findall(r"{([^}]+)}", route.path)]
            operation: dict = {"operationId": operation_id(route.path, method),
                               "responses": {"200": {"description": "OK"}}}
            if parameters:
                operation["parameters"] = parameters
            operations[method.lower()] = operation
    doc["paths"] = paths
    return doc


def local_name(component: Component) -> str:
    return f"{ident(component.name)}_openapi"
