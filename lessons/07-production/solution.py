"""Catalog API (lesson 07, production responses). Keep the starter code as it is; write your code below it."""

from fastapi import FastAPI

app = FastAPI(title="Catalog API")

PRODUCTS = {
    1: {"id": 1, "name": "Desk lamp", "price_cents": 2599, "internal_cost_cents": 900},
    2: {"id": 2, "name": "Notebook", "price_cents": 450, "internal_cost_cents": 120},
}
AUDIT_LOG: list[dict] = []

### BEGIN SOLUTION
import hashlib
import re

from fastapi import BackgroundTasks, Header, HTTPException, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, computed_field, model_validator
from pydantic.alias_generators import to_camel

# One entity-tag of a list: an optional W/ and a quoted opaque value (which may itself hold commas).
ENTITY_TAG = re.compile(r'(W/)?"([^"]*)"')


class CamelModel(BaseModel):
    # camelCase on the wire (the alias), snake_case in Python; validate_by_name reads the stored dicts.
    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True)


class Product(CamelModel):
    id: int
    name: str
    price_cents: int  # internal_cost_cents is not a field: it is dropped on the way in, so it can never leak

    @computed_field
    @property
    def price_with_tax_cents(self) -> int:
        return self.price_cents * 120 // 100


class ProductPatch(CamelModel):
    name: str | None = None
    price_cents: int | None = None

    @model_validator(mode="after")
    def one_field_at_least(self) -> "ProductPatch":
        if not self.model_fields_set:
            raise ValueError("send name and/or priceCents")
        if any(getattr(self, field) is None for field in self.model_fields_set):
            raise ValueError("name and priceCents cannot be null")
        return self


class AuditEntry(CamelModel):
    product_id: int
    changed: list[str]


def find_product(product_id: int) -> dict:
    product = PRODUCTS.get(product_id)
    if product is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Product not found")
    return product


def etag_of(product: dict) -> str:
    # A strong validator: it changes exactly when the representation (id, name, price) changes.
    digest = hashlib.sha256(f"{product['id']}|{product['name']}|{product['price_cents']}".encode()).hexdigest()
    return f'"{digest[:20]}"'


def tags_in(header: str) -> list[tuple[bool, str]]:
    """(weak, opaque value) for each entity-tag of an If-Match / If-None-Match list."""
    return [(bool(weak), f'"{value}"') for weak, value in ENTITY_TAG.findall(header)]


def none_match(header: str, etag: str) -> bool:
    """If-None-Match matches: `*`, or a tag equal to ours under weak comparison (W/ ignored)."""
    return header.strip() == "*" or any(value == etag for _, value in tags_in(header))


def match(header: str, etag: str) -> bool:
    """If-Match matches: `*`, or a tag equal to ours under strong comparison (a weak tag never matches)."""
    return header.strip() == "*" or any(not weak and value == etag for weak, value in tags_in(header))


def camel(product: dict) -> dict:
    return Product.model_validate(product).model_dump(by_alias=True)


@app.get("/products")
def list_products() -> list[Product]:
    return [Product.model_validate(product) for product in PRODUCTS.values()]


@app.get(
    "/products/{product_id}",
    response_model=Product,
    responses={304: {"description": "Not Modified: the client's copy is current"}, 404: {"description": "Unknown id"}},
)
def get_product(product_id: int, if_none_match: str | None = Header(default=None)) -> Response:
    product = find_product(product_id)
    etag = etag_of(product)
    if if_none_match is not None and none_match(if_none_match, etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return JSONResponse(camel(product), headers={"ETag": etag})


# `@app.get` answers HEAD with 405: HEAD gets a route of its own (the server drops the body it sends).
@app.head("/products/{product_id}", response_model=Product)
def head_product(product_id: int, if_none_match: str | None = Header(default=None)) -> Response:
    return get_product(product_id, if_none_match)


def record_change(product_id: int, changed: list[str]) -> None:
    AUDIT_LOG.append(AuditEntry(product_id=product_id, changed=changed).model_dump(by_alias=True))


@app.patch(
    "/products/{product_id}",
    response_model=Product,
    responses={404: {"description": "Unknown id"}, 412: {"description": "If-Match does not match"}},
)
def patch_product(
    product_id: int,
    changes: ProductPatch,
    background_tasks: BackgroundTasks,
    if_match: str | None = Header(default=None),
) -> Response:
    product = find_product(product_id)
    if if_match is not None and not match(if_match, etag_of(product)):
        raise HTTPException(status_code=status.HTTP_412_PRECONDITION_FAILED, detail="The product has changed")
    product.update(changes.model_dump(exclude_unset=True))
    # Runs after the response is sent: the client never waits for the audit.
    background_tasks.add_task(record_change, product_id, sorted(to_camel(field) for field in changes.model_fields_set))
    return JSONResponse(camel(product), headers={"ETag": etag_of(product)}, background=background_tasks)


@app.get("/audit")
def audit() -> list[AuditEntry]:
    return [AuditEntry.model_validate(entry) for entry in AUDIT_LOG]


### END SOLUTION
