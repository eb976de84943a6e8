import hashlib
import re

from fastapi import FastAPI, Header, HTTPException, Response
from fastapi.responses import JSONResponse

app = FastAPI()
PRODUCTS = {1: {"id": 1, "name": "Desk lamp"}}
TAG = re.compile(r'(W/)?("[^"]*")')  # one entity-tag of a list


def etag_of(product: dict) -> str:
    # Strong: it changes whenever the bytes sent would change.
    digest = hashlib.sha256(repr(product).encode()).hexdigest()
    return f'"{digest[:16]}"'


def none_match(header: str, etag: str) -> bool:
    """If-None-Match: `*`, or any tag equal under weak comparison."""
    if header.strip() == "*":
        return True
    return any(tag == etag for _, tag in TAG.findall(header))


@app.get("/products/{product_id}")
@app.head("/products/{product_id}")  # (1)!
def product(product_id: int,
            if_none_match: str | None = Header(None)) -> Response:
    if product_id not in PRODUCTS:
        raise HTTPException(404)
    body = PRODUCTS[product_id]
    etag = etag_of(body)
    if if_none_match is not None and none_match(if_none_match, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return JSONResponse(body, headers={"ETag": etag})
