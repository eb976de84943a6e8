"""Right app: return annotations only (no response_model=), a to_camel alias generator on a base model,
headers through a Response parameter, one function registered for GET and HEAD with two decorators, and an
If-Match check in a dependency; the audit is a BackgroundTasks task added from a dependency."""

# fails:

import hashlib

from fastapi import BackgroundTasks, Depends, FastAPI, Header, HTTPException, Response
from pydantic import BaseModel, ConfigDict, computed_field
from pydantic.alias_generators import to_camel

app = FastAPI(title="Catalog API")

PRODUCTS = {
    1: {"id": 1, "name": "Desk lamp", "price_cents": 2599, "internal_cost_cents": 900},
    2: {"id": 2, "name": "Notebook", "price_cents": 450, "internal_cost_cents": 120},
}
AUDIT_LOG: list[dict] = []


class Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Product(Camel):
    id: int
    name: str
    price_cents: int

    @computed_field
    @property
    def price_with_tax_cents(self) -> int:
        return self.price_cents * 120 // 100


class Change(Camel):
    name: str | None = None
    price_cents: int | None = None


class Entry(Camel):
    product_id: int
    changed: list[str]


def etag(row: dict) -> str:
    return '"' + hashlib.blake2b(f"{row['name']}\0{row['price_cents']}".encode(), digest_size=12).hexdigest() + '"'


def existing(product_id: int) -> dict:
    if product_id not in PRODUCTS:
        raise HTTPException(404)
    return PRODUCTS[product_id]


def entity_tags(header: str) -> list[str]:
    return [item.strip() for item in header.split(",")]


def precondition(row: dict = Depends(existing), if_match: str | None = Header(None)) -> dict:
    if if_match is not None and if_match.strip() != "*" and etag(row) not in entity_tags(if_match):
        raise HTTPException(412)
    return row


@app.get("/products")
def list_products() -> list[Product]:
    return [Product(**row) for row in PRODUCTS.values()]


@app.get("/products/{product_id}")
@app.head("/products/{product_id}")
def get_product(response: Response, row: dict = Depends(existing), if_none_match: str | None = Header(None)) -> Product:
    current = etag(row)
    response.headers["ETag"] = current
    if if_none_match is not None:
        given = [item.removeprefix("W/") for item in entity_tags(if_none_match)]
        if "*" in given or current in given:
            raise HTTPException(304, headers={"ETag": current})
    return Product(**row)


@app.patch("/products/{product_id}")
def patch_product(
    product_id: int, change: Change, response: Response, tasks: BackgroundTasks, row: dict = Depends(precondition)
) -> Product:
    sent = change.model_dump(exclude_unset=True)
    if not sent or None in sent.values():
        raise HTTPException(422, "Send name and/or priceCents")
    row.update(sent)
    tasks.add_task(AUDIT_LOG.append, Entry(product_id=product_id, changed=sorted(map(to_camel, sent))).model_dump(by_alias=True))
    response.headers["ETag"] = etag(row)
    return Product(**row)


@app.get("/audit")
def read_audit() -> list[Entry]:
    return [Entry(**entry) for entry in AUDIT_LOG]
