"""Right app: an APIRouter with a prefix and tags, a repository class behind a dependency, per-field
serialization_alias, the ETag set through a Response parameter, and a `yield` dependency that writes the
audit entry in its teardown (after the response is sent)."""

# fails:

import hashlib
from collections.abc import Iterator

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Response
from pydantic import BaseModel, Field, computed_field

app = FastAPI(title="Catalog API")

PRODUCTS = {
    1: {"id": 1, "name": "Desk lamp", "price_cents": 2599, "internal_cost_cents": 900},
    2: {"id": 2, "name": "Notebook", "price_cents": 450, "internal_cost_cents": 120},
}
AUDIT_LOG: list[dict] = []


class ProductOut(BaseModel):
    id: int
    name: str
    price_cents: int = Field(serialization_alias="priceCents")

    @computed_field(alias="priceWithTaxCents")
    @property
    def price_with_tax_cents(self) -> int:
        return self.price_cents * 120 // 100


class ProductChange(BaseModel):
    name: str | None = None
    priceCents: int | None = None


class Repository:
    def __init__(self, rows: dict):
        self.rows = rows

    def get(self, product_id: int) -> dict:
        if product_id not in self.rows:
            raise HTTPException(404, "No such product")
        return self.rows[product_id]

    def all(self) -> list[dict]:
        return list(self.rows.values())


def repository() -> Repository:
    return Repository(PRODUCTS)


def tag(row: dict) -> str:
    return '"' + hashlib.md5(repr((row["id"], row["name"], row["price_cents"])).encode()).hexdigest() + '"'


def parse(header: str) -> list[str]:
    return [part.strip() for part in header.split(",") if part.strip()]


def audit() -> Iterator[list]:
    pending: list = []
    yield pending
    AUDIT_LOG.extend(pending)  # teardown: runs once the response has been sent


router = APIRouter(prefix="/products", tags=["products"])


@router.get("", response_model=list[ProductOut])
def list_products(repo: Repository = Depends(repository)):
    return repo.all()


@router.get("/{product_id}", response_model=ProductOut)
def get_product(
    product_id: int,
    response: Response,
    repo: Repository = Depends(repository),
    if_none_match: str = Header(""),
):
    row = repo.get(product_id)
    current = tag(row)
    given = parse(if_none_match)
    if "*" in given or current in [g.removeprefix("W/") for g in given]:
        return Response(status_code=304, headers={"ETag": current})
    response.headers["ETag"] = current
    return row


router.add_api_route("/{product_id}", get_product, methods=["HEAD"], response_model=ProductOut)


@router.patch("/{product_id}", response_model=ProductOut)
def patch_product(
    product_id: int,
    change: ProductChange,
    response: Response,
    repo: Repository = Depends(repository),
    entries: list = Depends(audit),
    if_match: str | None = Header(None),
):
    sent = change.model_dump(exclude_unset=True)
    if not sent or None in sent.values():
        raise HTTPException(422, "Send name and/or priceCents")
    row = repo.get(product_id)
    if if_match is not None:
        given = parse(if_match)
        if "*" not in given and tag(row) not in given:
            raise HTTPException(412, "Precondition failed")
    if "name" in sent:
        row["name"] = sent["name"]
    if "priceCents" in sent:
        row["price_cents"] = sent["priceCents"]
    entries.append({"productId": product_id, "changed": sorted(sent)})
    response.headers["ETag"] = tag(row)
    return row


app.include_router(router)


@app.get("/audit")
def read_audit() -> list[dict]:
    return AUDIT_LOG
