"""Checks for lesson 01, Bookshelf API: one per line of the contract.

Checks that need a book create it with POST but lean on as little of its
answer as they can (the id from the body, else from `Location`), and confirm
what was stored through `GET /books`, so one bug costs the checks of its own
contract line and not every check that happens to create a book.
"""

import json
import re
from urllib.parse import urlsplit

from grader import expect
from grader.checks import check

BOOK_KEYS = {"id", "title", "author"}


def new_book(ctx) -> dict:
    return {"title": ctx.words(), "author": f"{ctx.word().capitalize()} {ctx.word().capitalize()}"}


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def location_id(reply) -> int | None:
    """The id in a `Location: /books/{id}` header (path or absolute URL), if there is one."""
    match = re.fullmatch(r"/books/(\d+)", urlsplit(reply.headers.get("location", "")).path)
    return int(match.group(1)) if match else None


def created_id(reply) -> int | None:
    """The new book's id: the body's `id`, else the one in `Location`."""
    try:
        body = reply.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and is_int(body.get("id")):
        return body["id"]
    return location_id(reply)


def create(client, ctx) -> tuple[dict, dict]:
    """POST a random book; return (what was sent, the book as the contract says it is stored)."""
    sent = new_book(ctx)
    reply = client.post("/books", json=sent)
    if reply.status_code >= 300:
        expect.fail(reply, "the book to be created (any 2xx) so this check can go on")
    book_id = created_id(reply)
    if book_id is None:
        expect.fail(reply, "the created book's integer `id` (in the body or in `Location`) so this check can go on")
    return sent, {"id": book_id, **sent}


def stored_views(client, book_id: int) -> list:
    """How the app shows this book now: its entry in `GET /books` and the body of `GET /books/{id}`.

    A check that only needs to know what was stored accepts either view, so a
    broken list route or a broken GET-by-id costs its own check, not this one.
    """
    views = []
    for reply in (client.get("/books"), client.get(f"/books/{book_id}")):
        try:
            body = reply.json()
        except ValueError:
            continue
        if isinstance(body, list):
            views.extend(b for b in body if isinstance(b, dict) and b.get("id") == book_id)
        elif reply.status_code == 200 and isinstance(body, dict):
            views.append(body)
    return views


def expect_stored(client, reply, book: dict, what: str) -> None:
    views = stored_views(client, book["id"])
    if book not in views:
        shown = ", ".join(json.dumps(v) for v in views) or "no such book"
        expect.fail(
            reply, f"{what} to be stored as {json.dumps(book)}", f"GET /books and GET /books/{book['id']} show {shown}"
        )


@check(
    "POST /books answers 201 Created",
    points=2,
    docs="created",
    hint="Set `status_code=status.HTTP_201_CREATED` on the decorator: 200 says nothing was created.",
)
def create_status_201(client, ctx):
    reply = client.post("/books", json=new_book(ctx))
    expect.status(reply, 201)


@check(
    "POST /books returns the new Book with a unique integer id",
    points=2,
    docs="created",
    hint="Return the stored `Book` (id, title, author), not the `BookIn` you received. Give each book an id no "
    "other book has, even after a DELETE or a PUT that created one: `max(BOOKS, default=0) + 1`, not `len(BOOKS) + 1`.",
)
def create_returns_book(client, ctx):
    books, replies = [], []
    for _ in range(2):
        sent = new_book(ctx)
        reply = client.post("/books", json=sent)
        body = expect.json_object(reply, BOOK_KEYS)
        if not is_int(body["id"]):
            expect.fail(reply, "`id` to be an integer", f"id = {body['id']!r}")
        expect.equal(reply, {"title": body["title"], "author": body["author"]}, sent, "title and author")
        books.append(body)
        replies.append(reply)
    if books[0]["id"] == books[1]["id"]:
        expect.fail(replies[1], "a new id for a second book", f"the same id {books[1]['id']} twice")
    # A new id must never be one a book still has: not after a DELETE (len(BOOKS) + 1 does that)...
    client.delete(f"/books/{books[0]['id']}")
    books.append(expect_new_id(client, ctx, books[1], f"DELETE /books/{books[0]['id']}"))
    # ...nor after a PUT created a book at the next free id (a counter that ignores PUT does that).
    taken = {"id": max(book["id"] for book in books) + 1, **new_book(ctx)}
    client.put(f"/books/{taken['id']}", json={"title": taken["title"], "author": taken["author"]})
    if taken in stored_views(client, taken["id"]):  # only when the PUT really stored it (put-creates-201's job)
        expect_new_id(client, ctx, taken, f"PUT /books/{taken['id']} created a book")


def expect_new_id(client, ctx, existing: dict, after: str) -> dict:
    """POST one more book; fail when it takes the id of `existing`, a book that is still stored."""
    reply = client.post("/books", json=new_book(ctx))
    body = expect.json_object(reply, BOOK_KEYS)
    if body["id"] == existing["id"]:
        expect.fail(
            reply,
            f"a new id after {after}",
            f"id {body['id']}, the id of {json.dumps(existing)}, a book that still exists (it was overwritten)",
        )
    return body


@check(
    "POST /books sets Location: /books/{id}",
    points=2,
    docs="created",
    hint='Take a `response: Response` parameter and set `response.headers["Location"] = f"/books/{book.id}"`.',
)
def create_sets_location(client, ctx):
    sent = new_book(ctx)
    reply = client.post("/books", json=sent)
    path = expect.location_path(reply)
    try:
        body = reply.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and is_int(body.get("id")):
        if path != f"/books/{body['id']}":
            expect.fail(reply, f"Location: /books/{body['id']}", header="location")
        return
    # No id in the body (create-returns-book says so): Location must still lead to the new book.
    book_id = location_id(reply)
    if book_id is None:
        expect.fail(reply, "Location: /books/{id} with the new book's id", header="location")
    if {"id": book_id, **sent} not in stored_views(client, book_id):
        expect.fail(reply, f"Location to lead to the book just created ({json.dumps(sent)})", header="location")


@check(
    "GET /books answers 200 with the list of books",
    points=1,
    docs="ok",
    hint="Return `list(BOOKS.values())` with a `list[Book]` return type.",
)
def list_books(client, ctx):
    _, book = create(client, ctx)
    reply = client.get("/books")
    expect.status(reply, 200)
    books = expect.json_list(reply)
    for item in books:
        expect.exact_keys(reply, item, BOOK_KEYS, "each book")
    if book not in books:
        expect.fail(reply, f"the list to include the book just created ({json.dumps(book)})")


@check(
    "GET /books/{id} answers 200 with that book",
    points=1,
    docs="ok",
    hint="Look the id up in your store and return that book, whichever id is asked for.",
)
def get_book(client, ctx):
    _, book = create(client, ctx)
    create(client, ctx)  # a second book, so returning "the last one" is caught
    reply = client.get(f"/books/{book['id']}")
    expect.status(reply, 200)
    body = expect.json_object(reply, BOOK_KEYS)
    expect.equal(reply, body, book, "the book")


@check(
    "GET /books/{id} of an unknown id answers 404",
    points=2,
    docs="not-found",
    hint='`raise HTTPException(status_code=404, detail="Book not found")`: never a placeholder, never 200 with an error body.',
)
def get_unknown_404(client, ctx):
    expect.require_route(client, "GET", "/books/{book_id}")
    reply = client.get(f"/books/{ctx.unknown_id()}")
    expect.status(reply, 404)


@check(
    "PUT /books/{id} of an existing book answers 200 with the updated book",
    points=1,
    docs="dynamic-status",
    hint="Replace the stored book and return it; 200 is the default.",
)
def put_updates_200(client, ctx):
    _, book = create(client, ctx)
    change = new_book(ctx)
    reply = client.put(f"/books/{book['id']}", json=change)
    expect.status(reply, 200)
    body = expect.json_object(reply, BOOK_KEYS)
    expect.equal(reply, body, {"id": book["id"], **change}, "the updated book")
    expect_stored(client, reply, body, "the updated book")


@check(
    "PUT /books/{id} of a new id answers 201 with the created book",
    points=2,
    docs="dynamic-status",
    hint="Take `response: Response` and set `response.status_code = 201` when the id did not exist yet; store the book either way.",
)
def put_creates_201(client, ctx):
    book_id = ctx.unknown_id()
    sent = new_book(ctx)
    reply = client.put(f"/books/{book_id}", json=sent)
    expect.status(reply, 201)
    body = expect.json_object(reply, BOOK_KEYS)
    expect.equal(reply, body, {"id": book_id, **sent}, "the created book")
    expect_stored(client, reply, body, "the created book")


@check(
    "DELETE /books/{id} answers 204 No Content",
    points=2,
    docs="no-content",
    hint="Use `status_code=status.HTTP_204_NO_CONTENT` on the decorator and return nothing.",
)
def delete_204(client, ctx):
    _, book = create(client, ctx)
    reply = client.delete(f"/books/{book['id']}")
    expect.status(reply, 204)


@check(
    "DELETE /books/{id} sends an empty body",
    points=1,
    docs="no-content",
    hint="A 204 response has no body: return `None`, not a message or a JSONResponse.",
)
def delete_empty_body(client, ctx):
    _, book = create(client, ctx)
    reply = client.delete(f"/books/{book['id']}")
    if reply.status_code >= 300:
        expect.fail(reply, "the book to be deleted (2xx)")
    expect.empty_body(reply)


@check(
    "A deleted book is gone: GET answers 404",
    points=1,
    docs="not-found",
    hint="Remove the book from the store in DELETE, so a later GET raises 404.",
)
def deleted_is_gone(client, ctx):
    expect.require_route(client, "GET", "/books/{book_id}")
    _, book = create(client, ctx)
    client.delete(f"/books/{book['id']}")
    reply = client.get(f"/books/{book['id']}")
    expect.status(reply, 404)


@check(
    "DELETE /books/{id} of an unknown id answers 404",
    points=1,
    docs="not-found",
    hint="Check that the book exists before deleting and raise `HTTPException(404)` when it does not.",
)
def delete_unknown_404(client, ctx):
    expect.require_route(client, "DELETE", "/books/{book_id}")
    reply = client.delete(f"/books/{ctx.unknown_id()}")
    expect.status(reply, 404)


@check(
    "POST /books/import answers 202 Accepted",
    points=2,
    docs="accepted",
    hint="The import is only accepted for later: `status_code=status.HTTP_202_ACCEPTED`.",
)
def import_202(client, ctx):
    reply = client.post("/books/import", json=[new_book(ctx) for _ in range(ctx.rng.randint(1, 3))])
    expect.status(reply, 202)


@check(
    'POST /books/import counts the books: {"accepted": n}',
    points=1,
    docs="accepted",
    hint='Return `{"accepted": len(books)}` for the list you received.',
)
def import_counts(client, ctx):
    for count in (ctx.rng.randint(2, 5), 0):
        reply = client.post("/books/import", json=[new_book(ctx) for _ in range(count)])
        body = expect.json_object(reply, {"accepted"})
        expect.equal(reply, body["accepted"], count, "accepted")


@check(
    "A body with a missing field or a wrong type answers 422",
    points=1,
    docs="validation",
    hint="Declare the body as `book: BookIn` and let FastAPI validate it; do not take a raw dict.",
)
def invalid_body_422(client, ctx):
    for bad in ({"title": ctx.words()}, {"title": ["not", "a", "string"], "author": ctx.word()}):
        reply = client.post("/books", json=bad, leak_scan=False)
        expect.status(reply, 422)
    reply = client.put(f"/books/{ctx.unknown_id()}", json={"author": ctx.word()}, leak_scan=False)
    expect.status(reply, 422)
