import hashlib
import re

from fastapi import FastAPI, Header, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel

app = FastAPI()
PRODUCTS = {1: {"id": 1, "name": "Desk lamp"}}
TAG = re.compile(r'(W/)?("[^"]*")')


class Rename(BaseModel):
    name: str


def etag_of(product: dict) -> str:
    digest = hashlib.sha256(repr(product).encode()).hexdigest()
    return f'"{digest[:16]}"'


def match(header: str, etag: str) -> bool:
    """If-Match: `*`, or a tag equal under strong comparison."""
    if header.strip() == "*":
        return True
    return any(not weak and tag == etag
               for weak, tag in TAG.findall(header))


@app.patch("/products/{product_id}")
def rename(product_id: int, change: Rename,
           if_match: str | None = Header(None)) -> JSONResponse:
    product = PRODUCTS.get(product_id)
    if product is None:
        raise HTTPException(404)
    if if_match is not None and not match(if_match, etag_of(product)):
        # Someone changed it since the client read it: refuse.
        raise HTTPException(412, "The product has changed")
    product["name"] = change.name
    return JSONResponse(product, headers={"ETag": etag_of(product)})
