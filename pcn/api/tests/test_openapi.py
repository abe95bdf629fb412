"""The OpenAPI document describes exactly what the API does: its addresses and methods, its request
fields, the keys of its responses, its error codes."""

import json
import re
from pathlib import Path

from django.test import SimpleTestCase, TestCase
from django.urls import URLPattern, reverse

from pcn.api import urls as api_urls
from pcn.api.forms import SeriesIssueForm
from pcn.api.http import ApiError, not_found
from pcn.api.openapi import ERROR_CODES, document
from pcn.api.representations import series_detail_json
from pcn.coupons.tests.factories import coupon_world, issue

NOT_DESCRIBED = {"api_unknown"}  # the JSON 404 for any other address


def openapi_path(route: str) -> str:
    """Django's "seasons/<int:season_id>/series" → OpenAPI's "/seasons/{season_id}/series"."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def resolve(doc: dict, ref: str) -> dict:
    assert ref.startswith("#/"), ref
    node = doc
    for part in ref[2:].split("/"):
        node = node[part]
    return node


class OpenApiDocumentTest(TestCase):
    def setUp(self):
        response = self.client.get(reverse("api_openapi"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        self.doc = json.loads(response.content)  # valid JSON, served without a key

    def test_it_is_an_openapi_3_1_document_with_bearer_security(self):
        self.assertEqual(self.doc["openapi"], "3.1.0")
        self.assertEqual(self.doc["servers"], [{"url": "/api/v1"}])
        scheme = self.doc["components"]["securitySchemes"]["bearerAuth"]
        self.assertEqual((scheme["type"], scheme["scheme"]), ("http", "bearer"))
        self.assertEqual(self.doc["security"], [{"bearerAuth": []}])
        self.assertEqual(self.doc["paths"]["/openapi.json"]["get"]["security"], [])

    def test_every_address_of_the_api_is_described_with_the_methods_it_answers(self):
        described = set()
        for pattern in api_urls.urlpatterns:
            self.assertIsInstance(pattern, URLPattern)
            if pattern.name in NOT_DESCRIBED:
                continue
            path = openapi_path(str(pattern.pattern))
            self.assertIn(path, self.doc["paths"], f"{pattern.name} is not in the OpenAPI document")
            operations = {m for m in self.doc["paths"][path] if m in ("get", "post", "put", "patch", "delete")}
            self.assertEqual(operations, {m.lower() for m in pattern.callback.api_methods}, path)
            described.add(path)
            for name in pattern.pattern.converters:
                parameters = [*self.doc["paths"][path].get("parameters", [])]
                self.assertIn(name, [p["name"] for p in parameters if p["in"] == "path"], path)
        self.assertEqual(described, set(self.doc["paths"]), "the document describes addresses that do not exist")

    def test_every_reference_resolves(self):
        for ref in refs(self.doc):
            self.assertIsInstance(resolve(self.doc, ref), dict, ref)

    def test_every_operation_says_what_refusals_look_like(self):
        for path, item in self.doc["paths"].items():
            for method, operation in item.items():
                if method == "parameters" or operation.get("security") == []:
                    continue
                expected = {"401", "404"} if "{" in path else {"401"}  # 404 where the address names an object
                self.assertLessEqual(expected, set(operation["responses"]), f"{method} {path}")
                self.assertIn("operationId", operation)

    def test_the_request_schema_names_the_form_fields(self):
        schema = self.doc["components"]["schemas"]["SeriesIssue"]
        form = SeriesIssueForm()
        self.assertEqual(set(schema["properties"]), set(form.fields))
        self.assertEqual(set(schema["required"]), {name for name, field in form.fields.items() if field.required})
        self.assertIs(schema["additionalProperties"], False)  # unknown fields are refused (tested in test_series)
        example = schema["examples"][0]
        self.assertTrue(SeriesIssueForm(example).is_valid())

    def test_the_response_schemas_name_exactly_the_keys_sent(self):
        world = coupon_world()
        series = issue(world, count=2)
        sent = series_detail_json(series, {"stock": 2})
        schemas = self.doc["components"]["schemas"]
        series_schema = schemas["Series"]
        detail_extra = schemas["SeriesDetail"]["allOf"][1]
        self.assertEqual(set(sent), set(series_schema["properties"]) | set(detail_extra["properties"]))
        self.assertEqual(set(series_schema["required"]), set(series_schema["properties"]))
        self.assertEqual(set(sent["coupon_class"]), set(schemas["CouponClassRef"]["properties"]))
        self.assertEqual(set(sent["coupons_by_status"]), set(detail_extra["properties"]["coupons_by_status"]["properties"]))
        for key in ("colour", "status"):
            self.assertIn(sent[key], series_schema["properties"][key]["enum"])


class ErrorShapeTest(SimpleTestCase):
    def test_the_error_codes_in_the_document_are_the_ones_the_code_uses(self):
        schema = document()["components"]["schemas"]["Error"]["properties"]["error"]
        self.assertEqual(schema["required"], ["code", "message"])
        self.assertEqual(set(schema["properties"]["code"]["enum"]), set(ERROR_CODES))
        source = "".join(path.read_text() for path in Path(api_urls.__file__).parent.glob("*.py"))
        used = set(re.findall(r"ApiError\(\s*\d{3},\s*\"(\w+)\"", source))
        self.assertEqual(used, set(ERROR_CODES))
        error = json.loads(not_found().response().content)
        self.assertEqual(set(error), {"error"})
        self.assertIn(error["error"]["code"], ERROR_CODES)
        self.assertEqual(json.loads(ApiError(400, "invalid", "x", fields={}).response().content),
                         {"error": {"code": "invalid", "message": "x", "fields": {}}})
