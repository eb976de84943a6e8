"""Right app: HTTPBearer(auto_error=False), an APIRouter, one ApiError class with a single handler."""

# fails:

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
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


class ApiError(Exception):
    status_code = 400
    code = "BAD_REQUEST"
    headers: dict = {}

    def __init__(self, message: str):
        self.message = message


class NotAuthenticated(ApiError):
    status_code, code, headers = 401, "NOT_AUTHENTICATED", {"WWW-Authenticate": "Bearer"}


class Forbidden(ApiError):
    status_code, code = 403, "FORBIDDEN"


class NotFound(ApiError):
    status_code, code = 404, "DOCUMENT_NOT_FOUND"


class RateLimited(ApiError):
    status_code, code, headers = 429, "RATE_LIMITED", {"Retry-After": "30"}


class InsufficientCreditsError(Exception):
    def __init__(self, available: int):
        self.available = available


class Problem(BaseModel):
    code: str
    message: str


class ProblemOut(BaseModel):
    detail: Problem


@app.exception_handler(ApiError)
async def api_error(request: Request, exc: ApiError):
    return JSONResponse({"detail": {"code": exc.code, "message": exc.message}}, status_code=exc.status_code, headers=exc.headers)


@app.exception_handler(InsufficientCreditsError)
async def no_credits(request: Request, exc: InsufficientCreditsError):
    return JSONResponse({"code": "INSUFFICIENT_CREDITS", "required": 1, "available": exc.available}, status_code=402)


@app.exception_handler(RequestValidationError)
async def invalid(request: Request, exc: RequestValidationError):
    fields = [".".join(str(part) for part in error["loc"]) for error in exc.errors()]
    return JSONResponse({"detail": {"code": "INVALID", "fields": fields}}, status_code=422)


@app.exception_handler(Exception)
async def crashed(request: Request, exc: Exception):
    return JSONResponse({"detail": "Internal server error"}, status_code=500)


bearer = HTTPBearer(auto_error=False)


def caller(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
    if credentials is None or credentials.credentials not in TOKENS:
        raise NotAuthenticated("A valid bearer token is required.")
    return TOKENS[credentials.credentials]


def token_of(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
    return credentials.credentials if credentials else ""


router = APIRouter(dependencies=[Depends(caller)])
Caller = Annotated[str, Depends(caller)]
ERRORS = {code: {"model": ProblemOut} for code in (401, 403, 404)}
searches: dict[str, int] = {}


def lookup(doc_id: int, user: str) -> dict:
    if doc_id not in DOCUMENTS:
        raise NotFound("No such document.")
    if DOCUMENTS[doc_id]["owner"] != user:
        raise Forbidden("Not yours.")
    return DOCUMENTS[doc_id]


class DocOut(BaseModel):
    id: int
    title: str
    pages: int


class NewDoc(BaseModel):
    title: str = Field(min_length=1, max_length=100)
    body: str


@router.get("/documents/{doc_id}", response_model=DocOut, responses=ERRORS)
def read(doc_id: int, user: Caller):
    return lookup(doc_id, user)


@router.post("/documents/{doc_id}/export")
def export(doc_id: int, user: Caller):
    lookup(doc_id, user)
    if CREDITS[user] == 0:
        raise InsufficientCreditsError(CREDITS[user])
    CREDITS[user] -= 1
    return {"exported": doc_id, "credits_left": CREDITS[user]}


@router.get("/search")
def find(q: str, user: Caller, token: Annotated[str, Depends(token_of)]) -> list[str]:
    searches[token] = searches.get(token, 0) + 1
    if searches[token] > 3:
        raise RateLimited("Three searches per token.")
    return [d["title"] for d in DOCUMENTS.values() if d["owner"] == user and q.lower() in d["title"].lower()]


@router.get("/documents/{doc_id}/stats")
def stats(doc_id: int, user: Caller):
    return {"id": doc_id, "density": page_density(lookup(doc_id, user))}


@router.post("/documents", status_code=201)
def create(doc: NewDoc, user: Caller):
    new_id = max(DOCUMENTS) + 1
    DOCUMENTS[new_id] = {"id": new_id, "owner": user, "title": doc.title, "pages": 1, "body": doc.body}
    return {"id": new_id, "title": doc.title}


app.include_router(router)
