"""A body declared as a plain dict: any JSON object passes, unchecked."""

from fastapi import FastAPI, status

app = FastAPI()
BOOKS: list[dict] = []


@app.post("/books", status_code=status.HTTP_201_CREATED)
def create_book(book: dict) -> dict:  # (1)!
    BOOKS.append(book)
    return book
