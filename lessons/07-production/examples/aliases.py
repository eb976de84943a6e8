from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field, computed_field
from pydantic.alias_generators import to_camel

app = FastAPI()

STORED = {"id": 1, "price_cents": 2599, "internal_cost_cents": 900}


class Camel(BaseModel):
    # camelCase on the wire, snake_case in Python. validate_by_name lets
    # the model read the stored snake_case dict as well as camelCase JSON.
    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True
    )


class Product(Camel):
    id: int
    price_cents: int  # sent as "priceCents"

    @computed_field  # (1)!
    @property
    def price_with_tax_cents(self) -> int:
        return self.price_cents * 120 // 100


class Label(BaseModel):
    # One field renamed on the way out only.
    product_id: int = Field(serialization_alias="productId")


@app.get("/products/1", response_model=Product)
def product() -> dict:
    return STORED  # internal_cost_cents is not a field: it is dropped


@app.get("/products/1/raw", response_model=Product,
         response_model_by_alias=False)
def product_raw() -> dict:
    return STORED  # snake_case keys; the OpenAPI schema still says camel


@app.get("/labels/1")
def label() -> Label:
    return Label(product_id=1)
