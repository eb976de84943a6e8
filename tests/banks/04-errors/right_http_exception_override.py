"""Right app: errors raised with a code as `detail`, shaped by an overridden HTTPException handler; rate limit in a dependency."""

# fails:

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

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


MESSAGES = {
    "NOT_AUTHENTICATED": "Authenticate with a bearer token.",
    "FORBIDDEN": "You may not read this document.",
    "DOCUMENT_NOT_FOUND": "No document has this id.",
    "RATE_LIMITED": "Too many searches with this token.",
}
USED: dict[str, int] = {}


class InsufficientCreditsError(Exception):
    def __init__(self, available: int) -> None:
        super().__init__("not enough credits")
        self.available = available


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorEnvelope(BaseModel):
    detail: ErrorBody


@app.exception_handler(StarletteHTTPException)
async def shaped_http_error(request: Request, exc: StarletteHTTPException):
    if exc.detail in MESSAGES:
        content = {"detail": {"code": exc.detail, "message": MESSAGES[exc.detail]}}
    else:  # FastAPI's own errors, such as 405, keep their shape
        content = {"detail": exc.detail}
    return JSONResponse(content, status_code=exc.status_code, headers=exc.headers)


@app.exception_handler(InsufficientCreditsError)
async def insufficient(request: Request, exc: InsufficientCreditsError):
    return JSONResponse({"code": "INSUFFICIENT_CREDITS", "required": 1, "available": exc.available}, status_code=402)


@app.exception_handler(RequestValidationError)
async def invalid_request(request: Request, exc: RequestValidationError):
    return JSONResponse({"detail": [{"loc": err["loc"], "msg": err["msg"]} for err in exc.errors()]}, status_code=422)


@app.exception_handler(Exception)
async def anything_else(request: Request, exc: Exception):
    return JSONResponse({"detail": "Internal server error"}, status_code=500)


def token(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme != "Bearer" or value not in TOKENS:
        raise StarletteHTTPException(401, "NOT_AUTHENTICATED", headers={"WWW-Authenticate": "Bearer"})
    return value


def user(value: str = Depends(token)) -> str:
    return TOKENS[value]


def search_quota(value: str = Depends(token)) -> None:
    USED[value] = USED.get(value, 0) + 1
    if USED[value] > 3:
        raise StarletteHTTPException(429, "RATE_LIMITED", headers={"Retry-After": "120"})


def document_for(doc_id: int, who: str = Depends(user)) -> dict:
    if doc_id not in DOCUMENTS:
        raise StarletteHTTPException(404, "DOCUMENT_NOT_FOUND")
    if DOCUMENTS[doc_id]["owner"] != who:
        raise StarletteHTTPException(403, "FORBIDDEN")
    return DOCUMENTS[doc_id]


class DocumentView(BaseModel):
    id: int
    title: str
    pages: int


class DocumentDraft(BaseModel):
    title: str = Field(..., min_length=1, max_length=100)
    body: str


@app.get(
    "/documents/{doc_id}",
    response_model=DocumentView,
    responses={401: {"model": ErrorEnvelope}, 403: {"model": ErrorEnvelope}, 404: {"model": ErrorEnvelope}},
)
def show(doc: dict = Depends(document_for)):
    return doc


@app.post("/documents/{doc_id}/export")
def export(doc: dict = Depends(document_for), who: str = Depends(user)):
    if CREDITS[who] < 1:
        raise InsufficientCreditsError(CREDITS[who])
    CREDITS[who] -= 1
    return {"exported": doc["id"], "credits_left": CREDITS[who]}


@app.get("/search", dependencies=[Depends(search_quota)])
def search(q: str, who: str = Depends(user)) -> list[str]:
    return [d["title"] for d in DOCUMENTS.values() if d["owner"] == who and q.lower() in d["title"].lower()]


@app.get("/documents/{doc_id}/stats")
def stats(doc: dict = Depends(document_for)):
    return {"id": doc["id"], "density": page_density(doc)}


@app.post("/documents", status_code=201)
def add(draft: DocumentDraft, who: str = Depends(user)):
    doc_id = max(DOCUMENTS) + 1
    DOCUMENTS[doc_id] = {"id": doc_id, "owner": who, "title": draft.title, "pages": 1, "body": draft.body}
    return {"id": doc_id, "title": draft.title}
