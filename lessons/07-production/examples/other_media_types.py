from fastapi import FastAPI, Response
from pydantic import BaseModel

app = FastAPI()
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000"
    "000049454e44ae426082"
)


class Product(BaseModel):
    id: int
    name: str


@app.get(
    "/products/{product_id}",
    response_model=Product,
    responses={
        200: {
            "content": {"image/png": {}},  # (1)!
            "description": "The product, or its picture",
        },
        404: {"description": "No such product"},
    },
)
def product(product_id: int, picture: bool = False):
    if picture:
        return Response(PIXEL, media_type="image/png")
    return Product(id=product_id, name="Desk lamp")
