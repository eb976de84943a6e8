"""Document the errors a route answers, with a schema, in `responses=`."""

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    detail: ErrorDetail  # (1)!


class Item(BaseModel):
    id: int
    name: str


ERRORS = {
    401: {"model": ErrorOut, "description": "Missing or unknown token"},
    404: {"model": ErrorOut, "description": "No such item"},
}


@app.get("/items/{item_id}", responses=ERRORS)  # (2)!
def get_item(item_id: int) -> Item:
    detail = {"code": "ITEM_NOT_FOUND", "message": "No item."}
    raise HTTPException(404, detail=detail)


@app.get("/items")
def list_items() -> list[Item]:  # (3)!
    return []
