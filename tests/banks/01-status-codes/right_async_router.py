"""Right: async handlers on an APIRouter with prefix="/books" (list and create on "", not "/")."""

# fails:

from fastapi import APIRouter, FastAPI, HTTPException, Response, status
from pydantic import BaseModel


class BookIn(BaseModel):
    title: str
    author: str


class Book(BookIn):
    id: int


BOOKS: dict[int, Book] = {}
router = APIRouter(prefix="/books", tags=["books"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_book(book: BookIn, response: Response) -> Book:
    new = Book(id=max(BOOKS, default=0) + 1, **book.model_dump())
    BOOKS[new.id] = new
    response.headers["Location"] = f"/books/{new.id}"
    return new


@router.get("")
async def list_books() -> list[Book]:
    return list(BOOKS.values())


@router.post("/import", status_code=status.HTTP_202_ACCEPTED)
async def import_books(books: list[BookIn]) -> dict[str, int]:
    return {"accepted": len(books)}


@router.get("/{book_id}")
async def get_book(book_id: int) -> Book:
    try:
        return BOOKS[book_id]
    except KeyError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Book not found") from None


@router.put("/{book_id}")
async def put_book(book_id: int, book: BookIn, response: Response) -> Book:
    created = book_id not in BOOKS
    BOOKS[book_id] = Book(id=book_id, **book.model_dump())
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return BOOKS[book_id]


@router.delete("/{book_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_book(book_id: int) -> None:
    if BOOKS.pop(book_id, None) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Book not found")


app = FastAPI(title="Bookshelf API")
app.include_router(router)
