"""Right: Location as an absolute URL built with request.url_for, and a dataclass record store."""

# fails:

from dataclasses import asdict, dataclass

from fastapi import FastAPI, HTTPException, Request, Response, status
from pydantic import BaseModel


class BookIn(BaseModel):
    title: str
    author: str


class Book(BookIn):
    id: int


@dataclass
class Record:
    id: int
    title: str
    author: str


app = FastAPI(title="Bookshelf API")
RECORDS: dict[int, Record] = {}
NEXT = {"id": 1}


def find(book_id: int) -> Record:
    record = RECORDS.get(book_id)
    if record is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Book not found")
    return record


@app.post("/books", status_code=status.HTTP_201_CREATED)
def create_book(book: BookIn, request: Request, response: Response) -> Book:
    record = Record(id=NEXT["id"], **book.model_dump())
    NEXT["id"] += 1
    RECORDS[record.id] = record
    response.headers["Location"] = str(request.url_for("get_book", book_id=record.id))
    return Book(**asdict(record))


@app.get("/books")
def list_books() -> list[Book]:
    return [Book(**asdict(r)) for r in RECORDS.values()]


@app.post("/books/import", status_code=status.HTTP_202_ACCEPTED)
def import_books(books: list[BookIn]) -> dict[str, int]:
    return {"accepted": len(books)}


@app.get("/books/{book_id}")
def get_book(book_id: int) -> Book:
    return Book(**asdict(find(book_id)))


@app.put("/books/{book_id}")
def put_book(book_id: int, book: BookIn, response: Response) -> Book:
    if book_id in RECORDS:
        RECORDS[book_id].title, RECORDS[book_id].author = book.title, book.author
    else:
        RECORDS[book_id] = Record(id=book_id, **book.model_dump())
        NEXT["id"] = max(NEXT["id"], book_id + 1)  # POST must never hand out an id a PUT created
        response.status_code = status.HTTP_201_CREATED
    return Book(**asdict(RECORDS[book_id]))


@app.delete("/books/{book_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_book(book_id: int) -> None:
    RECORDS.pop(find(book_id).id)
