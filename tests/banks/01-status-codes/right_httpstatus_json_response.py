"""Right: http.HTTPStatus constants and hand-built responses (JSONResponse with status and Location, Response for 204)."""

# fails:

from http import HTTPStatus

from fastapi import FastAPI, HTTPException, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class BookIn(BaseModel):
    title: str
    author: str


class Book(BookIn):
    id: int


app = FastAPI(title="Bookshelf API")
BOOKS: dict[int, dict] = {}
LAST_ID = 0


def missing(book_id: int) -> HTTPException:
    return HTTPException(status_code=HTTPStatus.NOT_FOUND, detail=f"Book {book_id} not found")


@app.post("/books", response_model=Book, status_code=HTTPStatus.CREATED)
def create_book(book: BookIn) -> JSONResponse:
    global LAST_ID
    LAST_ID += 1
    BOOKS[LAST_ID] = {"id": LAST_ID, **book.model_dump()}
    return JSONResponse(BOOKS[LAST_ID], status_code=HTTPStatus.CREATED, headers={"Location": f"/books/{LAST_ID}"})


@app.get("/books", response_model=list[Book])
def list_books():
    return list(BOOKS.values())


@app.post("/books/import", status_code=HTTPStatus.ACCEPTED)
def import_books(books: list[BookIn]) -> JSONResponse:
    return JSONResponse({"accepted": len(books)}, status_code=HTTPStatus.ACCEPTED)


@app.get("/books/{book_id}", response_model=Book)
def get_book(book_id: int):
    if book_id not in BOOKS:
        raise missing(book_id)
    return BOOKS[book_id]


@app.put("/books/{book_id}", response_model=Book)
def put_book(book_id: int, book: BookIn) -> JSONResponse:
    global LAST_ID
    code = HTTPStatus.OK if book_id in BOOKS else HTTPStatus.CREATED
    LAST_ID = max(LAST_ID, book_id)  # POST must never hand out an id a PUT created
    BOOKS[book_id] = {"id": book_id, **book.model_dump()}
    return JSONResponse(BOOKS[book_id], status_code=code)


@app.delete("/books/{book_id}", status_code=HTTPStatus.NO_CONTENT)
def delete_book(book_id: int) -> Response:
    if BOOKS.pop(book_id, None) is None:
        raise missing(book_id)
    return Response(status_code=HTTPStatus.NO_CONTENT)
