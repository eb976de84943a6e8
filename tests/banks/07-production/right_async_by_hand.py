"""Right app: async handlers that build every Response by hand (json.dumps of camelCase dicts), one
api_route for GET and HEAD, OpenAPI documented through responses=, BackgroundTasks for the audit."""

# fails:

import json
import re
import zlib

from fastapi import BackgroundTasks, FastAPI, Request, Response

app = FastAPI(title="Catalog API")

PRODUCTS = {
    1: {"id": 1, "name": "Desk lamp", "price_cents": 2599, "internal_cost_cents": 900},
    2: {"id": 2, "name": "Notebook", "price_cents": 450, "internal_cost_cents": 120},
}
AUDIT_LOG: list[dict] = []

PRODUCT_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "priceCents": {"type": "integer"},
        "priceWithTaxCents": {"type": "integer"},
    },
}
TAGS = re.compile(r'\s*(W/)?("[^"]*")\s*')


def public(row: dict) -> dict:
    return {
        "id": row["id"],
        "name": row["name"],
        "priceCents": row["price_cents"],
        "priceWithTaxCents": row["price_cents"] * 120 // 100,
    }


def etag(row: dict) -> str:
    return f'"v{zlib.crc32(json.dumps(public(row)).encode()):08x}-{len(row["name"])}"'


def tags(header: str) -> list[tuple[bool, str]]:
    return [(bool(m.group(1)), m.group(2)) for m in TAGS.finditer(header)]


def json_response(body, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body), status, headers, media_type="application/json")


@app.get("/products", responses={200: {"content": {"application/json": {"schema": {"type": "array", "items": PRODUCT_SCHEMA}}}}})
async def list_products():
    return json_response([public(row) for row in PRODUCTS.values()])


@app.api_route(
    "/products/{product_id}",
    methods=["GET", "HEAD"],
    responses={200: {"content": {"application/json": {"schema": PRODUCT_SCHEMA}}}},
)
async def get_product(product_id: int, request: Request):
    row = PRODUCTS.get(product_id)
    if row is None:
        return json_response({"detail": "Not found"}, 404)
    current = etag(row)
    header = request.headers.get("if-none-match")
    if header is not None and (header.strip() == "*" or current in [value for _, value in tags(header)]):
        return Response(status_code=304, headers={"ETag": current})
    return json_response(public(row), headers={"ETag": current})


@app.patch("/products/{product_id}", responses={200: {"content": {"application/json": {"schema": PRODUCT_SCHEMA}}}})
async def patch_product(product_id: int, request: Request, tasks: BackgroundTasks):
    try:
        body = await request.json()
    except ValueError:
        return json_response({"detail": "Body must be JSON"}, 422)
    if not isinstance(body, dict):
        return json_response({"detail": "Body must be an object"}, 422)
    sent = {key: body[key] for key in ("name", "priceCents") if key in body}
    if not sent:
        return json_response({"detail": "Send name and/or priceCents"}, 422)
    if "name" in sent and not isinstance(sent["name"], str):
        return json_response({"detail": "name must be a string"}, 422)
    price = sent.get("priceCents", 0)
    if isinstance(price, bool) or not isinstance(price, (int, float)) or price != int(price):
        return json_response({"detail": "priceCents must be an integer"}, 422)
    row = PRODUCTS.get(product_id)
    if row is None:
        return json_response({"detail": "Not found"}, 404)
    condition = request.headers.get("if-match")
    if condition is not None and condition.strip() != "*":
        if not any(not weak and value == etag(row) for weak, value in tags(condition)):
            return json_response({"detail": "Precondition failed"}, 412)
    if "name" in sent:
        row["name"] = sent["name"]
    if "priceCents" in sent:
        row["price_cents"] = int(sent["priceCents"])
    tasks.add_task(AUDIT_LOG.append, {"productId": product_id, "changed": sorted(sent)})
    return json_response(public(row), headers={"ETag": etag(row)})


@app.get("/audit")
async def read_audit():
    return json_response(AUDIT_LOG)
