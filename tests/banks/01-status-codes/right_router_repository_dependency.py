"""Right: a repository class given to the routes by a dependency, an APIRouter with prefix and tags, a class-based
dependency that looks the book up (404 when missing), async handlers and responses built by hand."""

# fails:

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, status
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel


class BookIn(BaseModel):
    title: str
    author: str


class Book(BookIn):
    id: int


class BookRepository:
    def __init__(self) -> None:
        self.rows: dict[int, Book] = {}

    def next_id(self) -> int:
        return max(self.rows, default=0) + 1

    def save(self, book: Book) -> Book:
        self.rows[book.id] = book
        return book


REPOSITORY = BookRepository()


def get_repository() -> BookRepository:
    return REPOSITORY


Repo = Annotated[BookRepository, Depends(get_repository)]


class ExistingBook:
    """A class-based dependency: the book named by the path, or 404."""

    def __call__(self, book_id: int, repo: Repo) -> Book:
        if book_id not in repo.rows:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Book not found")
        return repo.rows[book_id]


books = APIRouter(prefix="/books", tags=["books"])


@books.post("", status_code=status.HTTP_201_CREATED)
async def create_book(book: BookIn, repo: Repo) -> JSONResponse:
    new = repo.save(Book(id=repo.next_id(), **book.model_dump()))
    return JSONResponse(new.model_dump(), status_code=201, headers={"Location": f"/books/{new.id}"})


@books.get("")
async def list_books(repo: Repo) -> list[Book]:
    return list(repo.rows.values())


@books.post("/import", status_code=status.HTTP_202_ACCEPTED)
async def import_books(payload: list[BookIn]) -> dict[str, int]:
    return {"accepted": len(payload)}


@books.get("/{book_id}")
async def get_book(book: Annotated[Book, Depends(ExistingBook())]) -> Book:
    return book


@books.put("/{book_id}")
async def put_book(book_id: int, book: BookIn, repo: Repo) -> JSONResponse:
    created = book_id not in repo.rows
    stored = repo.save(Book(id=book_id, **book.model_dump()))
    return JSONResponse(stored.model_dump(), status_code=201 if created else 200)


@books.delete("/{book_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_book(book: Annotated[Book, Depends(ExistingBook())], repo: Repo) -> Response:
    del repo.rows[book.id]
    return Response(status_code=204)


app = FastAPI(title="Bookshelf API")
app.include_router(books)
