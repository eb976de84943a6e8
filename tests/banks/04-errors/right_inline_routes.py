"""Right app: each route calls the auth helper first (POST /documents through Depends, so auth precedes body validation); models for every response."""

# fails:

from collections import defaultdict

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

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


search_count: defaultdict[str, int] = defaultdict(int)


class InsufficientCreditsError(Exception):
    required = 1

    def __init__(self, available: int):
        self.available = available


class ErrorInfo(BaseModel):
    code: str
    message: str


class HTTPError(BaseModel):
    detail: ErrorInfo


class Document(BaseModel):
    id: int
    title: str
    pages: int


class Export(BaseModel):
    exported: int
    credits_left: int


class Stats(BaseModel):
    id: int
    density: float


class DocumentIn(BaseModel):
    title: str = Field(min_length=1, max_length=100)
    body: str


class Created(BaseModel):
    id: int
    title: str


@app.exception_handler(InsufficientCreditsError)
def on_credits(request: Request, exc: InsufficientCreditsError):
    return JSONResponse(status_code=status.HTTP_402_PAYMENT_REQUIRED,
                        content={"code": "INSUFFICIENT_CREDITS", "required": exc.required, "available": exc.available})


@app.exception_handler(RequestValidationError)
def on_invalid(request: Request, exc: RequestValidationError):
    return JSONResponse(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
                        content={"detail": "Invalid request", "fields": sorted({str(e["loc"][-1]) for e in exc.errors()})})


@app.exception_handler(Exception)
def on_crash(request: Request, exc: Exception):
    return JSONResponse(status_code=500, content={"detail": "Internal server error"})


def authenticate(request: Request) -> tuple[str, str]:
    value = request.headers.get("authorization")
    if value and value.lower().startswith("bearer ") and value[7:] in TOKENS:
        return TOKENS[value[7:]], value[7:]
    raise HTTPException(status.HTTP_401_UNAUTHORIZED, {"code": "NOT_AUTHENTICATED", "message": "Log in first."},
                        headers={"WWW-Authenticate": "Bearer"})


def fetch(doc_id: int, user: str) -> dict:
    if doc_id not in DOCUMENTS:
        raise HTTPException(404, {"code": "DOCUMENT_NOT_FOUND", "message": "Unknown document."})
    if DOCUMENTS[doc_id]["owner"] != user:
        raise HTTPException(403, {"code": "FORBIDDEN", "message": "Someone else's document."})
    return DOCUMENTS[doc_id]


@app.get("/documents/{doc_id}", response_model=Document,
         responses={401: {"model": HTTPError}, 403: {"model": HTTPError}, 404: {"model": HTTPError}})
def get_document(doc_id: int, request: Request):
    user, _ = authenticate(request)
    return fetch(doc_id, user)


@app.post("/documents/{doc_id}/export", response_model=Export)
def export(doc_id: int, request: Request):
    user, _ = authenticate(request)
    fetch(doc_id, user)
    if not CREDITS[user]:
        raise InsufficientCreditsError(available=0)
    CREDITS[user] -= 1
    return Export(exported=doc_id, credits_left=CREDITS[user])


@app.get("/search", response_model=list[str])
def search(q: str, request: Request):
    user, token = authenticate(request)
    search_count[token] += 1
    if search_count[token] >= 4:
        raise HTTPException(429, {"code": "RATE_LIMITED", "message": "Wait a minute."}, headers={"Retry-After": "60"})
    return [doc["title"] for doc in DOCUMENTS.values() if doc["owner"] == user and q.lower() in doc["title"].lower()]


@app.get("/documents/{doc_id}/stats", response_model=Stats)
def stats(doc_id: int, request: Request):
    user, _ = authenticate(request)
    return Stats(id=doc_id, density=page_density(fetch(doc_id, user)))


@app.post("/documents", response_model=Created, status_code=201)
def create(document: DocumentIn, caller: tuple[str, str] = Depends(authenticate)):
    # A dependency here: the route body would run only after FastAPI has validated the document.
    user, _ = caller
    new_id = max(DOCUMENTS) + 1
    DOCUMENTS[new_id] = {"id": new_id, "owner": user, **document.model_dump(), "pages": 1}
    return Created(id=new_id, title=document.title)
