"""Checks for lesson 01, Bookshelf API: one per line of the contract."""

from grader import expect
from grader.checks import check

BOOK_KEYS = {"id", "title", "author"}


def new_book(ctx) -> dict:
    return {"title": ctx.words(), "author": f"{ctx.word().capitalize()} {ctx.word().capitalize()}"}


def create(client, ctx) -> tuple[dict, dict]:
    """POST a random book; return (what was sent, the created book) or fail saying why."""
    sent = new_book(ctx)
    reply = client.post("/books", json=sent)
    if reply.status_code >= 300:
        expect.fail(reply, "the book to be created (any 2xx) so this check can go on")
    body = expect.json_object(reply)
    if not isinstance(body.get("id"), int) or isinstance(body.get("id"), bool):
        expect.fail(reply, "the created book with an integer `id`")
    return sent, body


@check("POST /books answers 201 Created", points=2, docs="created",
       hint="Set `status_code=status.HTTP_201_CREATED` on the decorator: 200 says nothing was created.")
def create_status_201(client, ctx):
    reply = client.post("/books", json=new_book(ctx))
    expect.status(reply, 201)


@check("POST /books returns the new Book with a unique integer id", points=2, docs="created",
       hint="Return the stored `Book` (id, title, author), not the `BookIn` you received; give each book a new id.")
def create_returns_book(client, ctx):
    first, second = new_book(ctx), new_book(ctx)
    replies = [client.post("/books", json=first), client.post("/books", json=second)]
    bodies = []
    for reply, sent in zip(replies, (first, second)):
        body = expect.json_object(reply, BOOK_KEYS)
        if not isinstance(body["id"], int) or isinstance(body["id"], bool):
            expect.fail(reply, "`id` to be an integer", f"id = {body['id']!r}")
        expect.equal(reply, {"title": body["title"], "author": body["author"]}, sent, "title and author")
        bodies.append(body)
    if bodies[0]["id"] == bodies[1]["id"]:
        expect.fail(replies[1], "a new id for a second book", f"the same id {bodies[1]['id']} twice")


@check("POST /books sets Location: /books/{id}", points=2, docs="created",
       hint="Take a `response: Response` parameter and set `response.headers[\"Location\"] = f\"/books/{book.id}\"`.")
def create_sets_location(client, ctx):
    reply = client.post("/books", json=new_book(ctx))
    book = expect.json_body(reply)
    book_id = book.get("id") if isinstance(book, dict) else None
    path = expect.location_path(reply)
    if path != f"/books/{book_id}":
        expect.fail(reply, f"Location: /books/{book_id}", header="location")


@check("GET /books answers 200 with the list of books", points=1, docs="ok",
       hint="Return `list(BOOKS.values())` with a `list[Book]` return type.")
def list_books(client, ctx):
    _, book = create(client, ctx)
    reply = client.get("/books")
    expect.status(reply, 200)
    books = expect.json_list(reply)
    for item in books:
        expect.exact_keys(reply, item, BOOK_KEYS, "each book")
    if book not in books:
        expect.fail(reply, f"the list to include the book just created ({book})")


@check("GET /books/{id} answers 200 with that book", points=1, docs="ok",
       hint="Look the id up in your store and return that book, whichever id is asked for.")
def get_book(client, ctx):
    _, book = create(client, ctx)
    create(client, ctx)  # a second book, so returning "the last one" is caught
    reply = client.get(f"/books/{book['id']}")
    expect.status(reply, 200)
    body = expect.json_object(reply, BOOK_KEYS)
    expect.equal(reply, body, book, "the book")


@check("GET /books/{id} of an unknown id answers 404", points=2, docs="not-found",
       hint="`raise HTTPException(status_code=404, detail=\"Book not found\")`: never a placeholder, never 200 with an error body.")
def get_unknown_404(client, ctx):
    _, book = create(client, ctx)
    known = client.get(f"/books/{book['id']}")
    if known.status_code != 200:
        # Without this, an app with no route at all would "pass" with the router's own 404.
        expect.fail(known, "GET /books/{id} to work (200) for a book that exists, before its 404 can count")
    reply = client.get(f"/books/{ctx.unknown_id()}")
    expect.status(reply, 404)


@check("PUT /books/{id} of an existing book answers 200 with the updated book", points=1, docs="dynamic-status",
       hint="Replace the stored book and return it; 200 is the default.")
def put_updates_200(client, ctx):
    _, book = create(client, ctx)
    change = new_book(ctx)
    reply = client.put(f"/books/{book['id']}", json=change)
    expect.status(reply, 200)
    body = expect.json_object(reply, BOOK_KEYS)
    expect.equal(reply, body, {"id": book["id"], **change}, "the updated book")
    again = client.get(f"/books/{book['id']}")
    if again.status_code != 200 or again.json() != body:
        expect.fail(again, f"the book to be stored as updated ({body})")


@check("PUT /books/{id} of a new id answers 201 with the created book", points=2, docs="dynamic-status",
       hint="Take `response: Response` and set `response.status_code = 201` when the id did not exist yet.")
def put_creates_201(client, ctx):
    book_id = ctx.unknown_id()
    sent = new_book(ctx)
    reply = client.put(f"/books/{book_id}", json=sent)
    expect.status(reply, 201)
    body = expect.json_object(reply, BOOK_KEYS)
    expect.equal(reply, body, {"id": book_id, **sent}, "the created book")


@check("DELETE /books/{id} answers 204 No Content", points=2, docs="no-content",
       hint="Use `status_code=status.HTTP_204_NO_CONTENT` on the decorator and return nothing.")
def delete_204(client, ctx):
    _, book = create(client, ctx)
    reply = client.delete(f"/books/{book['id']}")
    expect.status(reply, 204)


@check("DELETE /books/{id} sends an empty body", points=1, docs="no-content",
       hint="A 204 response has no body: return `None`, not a message or a JSONResponse.")
def delete_empty_body(client, ctx):
    _, book = create(client, ctx)
    reply = client.delete(f"/books/{book['id']}")
    if reply.status_code >= 300:
        expect.fail(reply, "the book to be deleted (2xx)")
    expect.empty_body(reply)


@check("A deleted book is gone: GET answers 404", points=1, docs="not-found",
       hint="Remove the book from the store in DELETE, so a later GET raises 404.")
def deleted_is_gone(client, ctx):
    _, book = create(client, ctx)
    client.delete(f"/books/{book['id']}")
    reply = client.get(f"/books/{book['id']}")
    expect.status(reply, 404)


@check("DELETE /books/{id} of an unknown id answers 404", points=1, docs="not-found",
       hint="Check that the book exists before deleting and raise `HTTPException(404)` when it does not.")
def delete_unknown_404(client, ctx):
    reply = client.delete(f"/books/{ctx.unknown_id()}")
    expect.status(reply, 404)
    _, book = create(client, ctx)
    known = client.delete(f"/books/{book['id']}")
    if not 200 <= known.status_code < 300:
        expect.fail(known, "DELETE /books/{id} to work (2xx) for a book that exists, so the 404 above comes from your route")


@check("POST /books/import answers 202 Accepted", points=2, docs="accepted",
       hint="The import is only accepted for later: `status_code=status.HTTP_202_ACCEPTED`.")
def import_202(client, ctx):
    reply = client.post("/books/import", json=[new_book(ctx) for _ in range(ctx.rng.randint(1, 3))])
    expect.status(reply, 202)


@check("POST /books/import counts the books: {\"accepted\": n}", points=1, docs="accepted",
       hint="Return `{\"accepted\": len(books)}` for the list you received.")
def import_counts(client, ctx):
    for count in (ctx.rng.randint(2, 5), 0):
        reply = client.post("/books/import", json=[new_book(ctx) for _ in range(count)])
        body = expect.json_object(reply, {"accepted"})
        expect.equal(reply, body["accepted"], count, "accepted")


@check("A body with a missing field or a wrong type answers 422", points=1, docs="validation",
       hint="Declare the body as `book: BookIn` and let FastAPI validate it; do not take a raw dict.")
def invalid_body_422(client, ctx):
    for bad in ({"title": ctx.words()}, {"title": ["not", "a", "string"], "author": ctx.word()}):
        reply = client.post("/books", json=bad, leak_scan=False)
        expect.status(reply, 422)
    reply = client.put(f"/books/{ctx.unknown_id()}", json={"author": ctx.word()}, leak_scan=False)
    expect.status(reply, 422)
