"""429 Too Many Requests with Retry-After: how long to wait, in seconds."""

from collections import Counter

from fastapi import FastAPI, Header, HTTPException, status

app = FastAPI()
LIMIT = 2
CALLS: Counter[str] = Counter()  # (1)!


@app.get("/quotes")
def quote(x_api_key: str = Header()):
    CALLS[x_api_key] += 1
    if CALLS[x_api_key] > LIMIT:
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail={"code": "RATE_LIMITED", "message": f"{LIMIT} per key."},
            headers={"Retry-After": "60"},  # (2)!
        )
    return {"quote": "Simple is better than complex."}
