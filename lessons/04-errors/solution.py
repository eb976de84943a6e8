"""Vault API (lesson 04, errors). Keep the starter code as it is; write your code below it."""

from fastapi import FastAPI

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

### BEGIN SOLUTION
from collections import Counter
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

SEARCHES_PER_TOKEN = 3
RETRY_AFTER_SECONDS = 60
SEARCHES: Counter[str] = Counter()  # per token, for the life of the process


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    detail: ErrorDetail


class DocumentOut(BaseModel):
    id: int
    title: str
    pages: int


class DocumentIn(BaseModel):
    title: str = Field(min_length=1, max_length=100)
    body: str


class DocumentCreated(BaseModel):
    id: int
    title: str


class DocumentStats(BaseModel):
    id: int
    density: float


class InsufficientCreditsError(Exception):
    def __init__(self, required: int, available: int):
        self.required = required
        self.available = available


def api_error(status_code: int, code: str, message: str, headers: dict | None = None) -> HTTPException:
    return HTTPException(status_code=status_code, detail={"code": code, "message": message}, headers=headers)


def current_user(request: Request) -> str:
    """The caller's name from `Authorization: Bearer <token>`; 401 for anything else."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    user = TOKENS.get(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise api_error(
            status.HTTP_401_UNAUTHORIZED,
            "NOT_AUTHENTICATED",
            "Send a valid token as `Authorization: Bearer <token>`.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


User = Annotated[str, Depends(current_user)]


def owned_document(doc_id: int, user: str) -> dict:
    doc = DOCUMENTS.get(doc_id)
    if doc is None:
        raise api_error(status.HTTP_404_NOT_FOUND, "DOCUMENT_NOT_FOUND", f"There is no document {doc_id}.")
    if doc["owner"] != user:
        raise api_error(status.HTTP_403_FORBIDDEN, "FORBIDDEN", "This document belongs to someone else.")
    return doc


ERRORS = {
    status.HTTP_401_UNAUTHORIZED: {"model": ErrorOut, "description": "Missing or unknown token"},
    status.HTTP_403_FORBIDDEN: {"model": ErrorOut, "description": "Another user's document"},
    status.HTTP_404_NOT_FOUND: {"model": ErrorOut, "description": "No such document"},
}


@app.exception_handler(InsufficientCreditsError)
async def insufficient_credits(request: Request, exc: InsufficientCreditsError) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_402_PAYMENT_REQUIRED,
        content={"code": "INSUFFICIENT_CREDITS", "required": exc.required, "available": exc.available},
    )


@app.exception_handler(RequestValidationError)
async def validation_failed(request: Request, exc: RequestValidationError) -> JSONResponse:
    # Name the fields and what is wrong with them, never the submitted values (`input`).
    errors = [{"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]} for error in exc.errors()]
    return JSONResponse(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": errors})


@app.exception_handler(Exception)
async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # The traceback belongs in the server log (Starlette logs it); the client gets nothing internal.
    return JSONResponse(status_code=status.HTTP_500_INTERNAL_SERVER_ERROR, content={"detail": "Internal server error"})


@app.get("/documents/{doc_id}", responses=ERRORS)
def get_document(doc_id: int, user: User) -> DocumentOut:
    return DocumentOut(**owned_document(doc_id, user))


@app.post("/documents/{doc_id}/export", responses={**ERRORS, 402: {"description": "No credits left"}})
def export_document(doc_id: int, user: User) -> dict[str, int]:
    owned_document(doc_id, user)  # 404 / 403 first: a failed export costs nothing
    if CREDITS[user] < 1:
        raise InsufficientCreditsError(required=1, available=CREDITS[user])
    CREDITS[user] -= 1
    return {"exported": doc_id, "credits_left": CREDITS[user]}


@app.get("/search", responses={401: ERRORS[401], 429: {"model": ErrorOut, "description": "Too many searches"}})
def search(q: str, user: User, request: Request) -> list[str]:
    token = request.headers["authorization"].partition(" ")[2].strip()
    SEARCHES[token] += 1
    if SEARCHES[token] > SEARCHES_PER_TOKEN:
        raise api_error(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            f"Only {SEARCHES_PER_TOKEN} searches per token.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    wanted = q.casefold()
    return [doc["title"] for doc in DOCUMENTS.values() if doc["owner"] == user and wanted in doc["title"].casefold()]


@app.get("/documents/{doc_id}/stats", responses=ERRORS)
def document_stats(doc_id: int, user: User) -> DocumentStats:
    doc = owned_document(doc_id, user)
    return DocumentStats(id=doc_id, density=page_density(doc))


@app.post("/documents", status_code=status.HTTP_201_CREATED, responses={401: ERRORS[401]})
def create_document(document: DocumentIn, user: User) -> DocumentCreated:
    doc_id = max(DOCUMENTS, default=0) + 1
    DOCUMENTS[doc_id] = {"id": doc_id, "owner": user, "title": document.title, "pages": 1, "body": document.body}
    return DocumentCreated(id=doc_id, title=document.title)
### END SOLUTION
