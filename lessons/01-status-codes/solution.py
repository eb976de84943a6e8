"""Bookshelf API: the reference solution of lesson 01 (status codes).

The marked region below is what the learner writes; the rest is the
starter code of the exercise notebook.
"""

from fastapi import FastAPI, HTTPException, Response, status
from pydantic import BaseModel


class BookIn(BaseModel):
    title: str
    author: str


class Book(BookIn):
    id: int


app = FastAPI(title="Bookshelf API")

BOOKS: dict[int, Book] = {}

### BEGIN SOLUTION
def next_id() -> int:
    return max(BOOKS, default=0) + 1


@app.post("/books", status_code=status.HTTP_201_CREATED)
def create_book(book: BookIn, response: Response) -> Book:
    new = Book(id=next_id(), **book.model_dump())
    BOOKS[new.id] = new
    response.headers["Location"] = f"/books/{new.id}"
    return new


@app.get("/books")
def list_books() -> list[Book]:
    return list(BOOKS.values())


@app.post("/books/import", status_code=status.HTTP_202_ACCEPTED)
def import_books(books: list[BookIn]) -> dict[str, int]:
    # Accepted for later processing: nothing is created yet, so no 201.
    return {"accepted": len(books)}


@app.get("/books/{book_id}")
def get_book(book_id: int) -> Book:
    if book_id not in BOOKS:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Book not found")
    return BOOKS[book_id]


@app.put("/books/{book_id}")
def put_book(book_id: int, book: BookIn, response: Response) -> Book:
    if book_id not in BOOKS:
        # PUT created the resource: say so with 201, decided at request time.
        response.status_code = status.HTTP_201_CREATED
    BOOKS[book_id] = Book(id=book_id, **book.model_dump())
    return BOOKS[book_id]


@app.delete("/books/{book_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_book(book_id: int) -> None:
    if book_id not in BOOKS:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Book not found")
    del BOOKS[book_id]
### END SOLUTION
