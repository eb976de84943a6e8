"""Right app: async routes, the header read with Header(None) in a helper, a 60-second window rate limit."""

# fails:

import time

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, constr

app = FastAPI(title="Vault API")

TOKENS = {"token-alice": "alice", "token-bob": "bob"}
DOCUMENTS = {
    1: {"id": 1, "owner": "alice", "title": "Alice's travel plans", "pages": 4, "body": "Lisbon in May, Porto in June."},
    2: {"id": 2, "owner": "bob", "title": "Bob's budget", "pages": 2, "body": "Rent, food, books and a bike."},
    3: {"id": 3, "owner": "alice", "title": "Empty draft", "pages": 0, "body": "Nothing written yet."},
}
CREDITS = {"alice": 2, "bob": 0}

def page_density(doc: dict) -> float:
    """Words per page (raises ZeroDivisionError when pages == 0)."""
    return len(doc["body"].split()) / doc["pages"]


WINDOW = 60.0
recent: dict[str, list[float]] = {}


class InsufficientCreditsError(Exception):
    pass


class Error(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    detail: Error


def fail(status: int, code: str, message: str, **headers: str) -> HTTPException:
    return HTTPException(status, {"code": code, "message": message}, headers=headers or None)


async def who(authorization: str | None = Header(None)) -> tuple[str, str]:
    if not authorization or not authorization.startswith("Bearer "):
        raise fail(401, "NOT_AUTHENTICATED", "Missing bearer token.", **{"WWW-Authenticate": "Bearer"})
    token = authorization[len("Bearer "):]
    if token not in TOKENS:
        raise fail(401, "NOT_AUTHENTICATED", "Unknown token.", **{"WWW-Authenticate": "Bearer"})
    return TOKENS[token], token


def mine(doc_id: int, user: str) -> dict:
    doc = DOCUMENTS.get(doc_id)
    if not doc:
        raise fail(404, "DOCUMENT_NOT_FOUND", "Not found.")
    if doc["owner"] != user:
        raise fail(403, "FORBIDDEN", "Forbidden.")
    return doc


@app.exception_handler(InsufficientCreditsError)
async def credits_handler(request: Request, exc: InsufficientCreditsError):
    return JSONResponse(status_code=402, content={"code": "INSUFFICIENT_CREDITS", "required": 1, "available": 0})


@app.exception_handler(RequestValidationError)
async def validation_handler(request: Request, exc: RequestValidationError):
    return JSONResponse(status_code=422, content={"errors": [{"field": e["loc"][-1], "problem": e["msg"]} for e in exc.errors()]})


@app.exception_handler(Exception)
async def fallback(request: Request, exc: Exception):
    return JSONResponse(status_code=500, content={"detail": "Internal server error"})


@app.get("/documents/{doc_id}", responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}, 404: {"model": ErrorResponse}})
async def get_document(doc_id: int, auth: tuple = Depends(who)):
    doc = mine(doc_id, auth[0])
    return {"id": doc["id"], "title": doc["title"], "pages": doc["pages"]}


@app.post("/documents/{doc_id}/export")
async def export(doc_id: int, auth: tuple = Depends(who)):
    user = auth[0]
    mine(doc_id, user)
    if CREDITS[user] <= 0:
        raise InsufficientCreditsError()
    CREDITS[user] -= 1
    return {"exported": doc_id, "credits_left": CREDITS[user]}


@app.get("/search")
async def search(q: str, auth: tuple = Depends(who)):
    user, token = auth
    now = time.monotonic()
    times = [t for t in recent.get(token, []) if now - t < WINDOW]
    if len(times) >= 3:
        wait = int(WINDOW - (now - times[0])) + 1
        raise fail(429, "RATE_LIMITED", "Slow down.", **{"Retry-After": str(wait)})
    recent[token] = times + [now]
    return [d["title"] for d in DOCUMENTS.values() if d["owner"] == user and q.casefold() in d["title"].casefold()]


@app.get("/documents/{doc_id}/stats")
async def stats(doc_id: int, auth: tuple = Depends(who)):
    return {"id": doc_id, "density": page_density(mine(doc_id, auth[0]))}


class NewDocument(BaseModel):
    title: constr(min_length=1, max_length=100)
    body: str


@app.post("/documents", status_code=201)
async def create(new: NewDocument, auth: tuple = Depends(who)):
    doc_id = len(DOCUMENTS) + 1
    while doc_id in DOCUMENTS:
        doc_id += 1
    DOCUMENTS[doc_id] = {"id": doc_id, "owner": auth[0], "title": new.title, "pages": 1, "body": new.body}
    return {"id": doc_id, "title": new.title}
