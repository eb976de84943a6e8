"""Right: response_model= on the decorators instead of return annotations, and a class-based store with its own id counter."""

# fails:

from fastapi import FastAPI, HTTPException, Response, status
from pydantic import BaseModel


class BookIn(BaseModel):
    title: str
    author: str


class Book(BookIn):
    id: int


class Shelf:
    """In-memory store. The counter only goes up, past any id a PUT created, so no id is handed out twice."""

    def __init__(self) -> None:
        self._books: dict[int, Book] = {}
        self._next_id = 1

    def add(self, data: BookIn) -> Book:
        book = Book(id=self._next_id, **data.model_dump())
        self._next_id += 1
        self._books[book.id] = book
        return book

    def get(self, book_id: int) -> Book:
        if book_id not in self._books:
            raise HTTPException(status_code=404, detail=f"No book with id {book_id}")
        return self._books[book_id]

    def put(self, book_id: int, data: BookIn) -> tuple[Book, bool]:
        created = book_id not in self._books
        self._books[book_id] = Book(id=book_id, **data.model_dump())
        self._next_id = max(self._next_id, book_id + 1)
        return self._books[book_id], created

    def remove(self, book_id: int) -> None:
        self.get(book_id)
        del self._books[book_id]

    def all(self) -> list[Book]:
        return list(self._books.values())


shelf = Shelf()
app = FastAPI(title="Bookshelf API")


@app.post("/books", response_model=Book, status_code=201)
def create_book(book: BookIn, response: Response):
    new = shelf.add(book)
    response.headers["location"] = f"/books/{new.id}"
    return new


@app.get("/books", response_model=list[Book])
def list_books():
    return shelf.all()


@app.post("/books/import", status_code=202)
def import_books(books: list[BookIn]):
    return {"accepted": len(books)}


@app.get("/books/{book_id}", response_model=Book)
def get_book(book_id: int):
    return shelf.get(book_id)


@app.put("/books/{book_id}", response_model=Book)
def put_book(book_id: int, book: BookIn, response: Response):
    stored, created = shelf.put(book_id, book)
    if created:
        response.status_code = 201
    return stored


@app.delete("/books/{book_id}", status_code=204)
def delete_book(book_id: int):
    shelf.remove(book_id)
