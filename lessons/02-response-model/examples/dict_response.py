"""dict[str, float]: a response whose keys are data, not fields."""

from fastapi import FastAPI

app = FastAPI()
PRICES = {"EUR": "12.50", "USD": 13}  # as a feed sent them: a str, an int


@app.get("/prices")
def prices() -> dict[str, float]:  # (1)!
    return PRICES  # (2)!


@app.get("/broken-prices")
def broken_prices() -> dict[str, float]:
    return {**PRICES, "GBP": "n/a"}  # (3)!
