"""A domain exception, raised anywhere, one response shape from a handler."""

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

app = FastAPI()
BALANCE = {"ann": 1}


class InsufficientFundsError(Exception):  # (1)!
    def __init__(self, required: int, available: int):
        self.required = required
        self.available = available


@app.exception_handler(InsufficientFundsError)
async def insufficient_funds(request: Request, exc: InsufficientFundsError):
    return JSONResponse(  # (2)!
        status_code=status.HTTP_402_PAYMENT_REQUIRED,
        content={
            "code": "INSUFFICIENT_FUNDS",
            "required": exc.required,
            "available": exc.available,
        },
    )


def charge(user: str, amount: int) -> int:
    available = BALANCE[user]
    if available < amount:
        raise InsufficientFundsError(required=amount, available=available)  # (3)!
    BALANCE[user] -= amount
    return BALANCE[user]


@app.post("/users/{user}/print")
def print_page(user: str):
    return {"printed": True, "balance": charge(user, 1)}
