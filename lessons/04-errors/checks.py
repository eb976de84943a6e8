"""Checks for lesson 04, Vault API: one per line of the contract.

The app keeps state for the life of the process, and so do these checks:

* Credits: alice starts with 2, bob with 0. Only `export-200` (one alice export)
  and `failed-export-spends-nothing` (alice's second export, then a 402) spend
  alice's credits; bob never has any, so his exports always test the 402 path.
* Searches: each token may search 3 times. `search-finds-titles` uses 1 of
  alice's, `search-own-documents-only` 2 of bob's (3 in all, so an app with one
  counter shared by every token is not limited yet); `search-429` takes alice
  to her 4th, `search-429-retry-after` to her 5th, and `search-limit-per-token`
  spends bob's 3rd, which must still succeed. Requests without a valid token
  never count.
* Documents: searches run before `POST /documents` adds any, so the expected
  search results come from the seeded documents.
"""

import re

from grader import expect
from grader.checks import check
from grader.inject import CATCH_ALL_ADVICE, Fault, crash
from grader.unescape import readable_text, shown_by_reply

TOKENS = {"alice": "token-alice", "bob": "token-bob"}
SEEDED = {
    1: {"owner": "alice", "title": "Alice's travel plans", "pages": 4, "body": "Lisbon in May, Porto in June."},
    2: {"owner": "bob", "title": "Bob's budget", "pages": 2, "body": "Rent, food, books and a bike."},
    3: {"owner": "alice", "title": "Empty draft", "pages": 0, "body": "Nothing written yet."},
}
OTHER = {"alice": "bob", "bob": "alice"}
ERROR_KEYS = {"code", "message"}
# What a 500 must never show: a traceback, the exception, a source file, the document.
INTERNALS = (
    "traceback",
    "zerodivisionerror",
    "division by zero",
    'file "',
    ".py",
    "page_density",
    "empty draft",
    "nothing written yet",
)


def auth(user: str) -> dict:
    return {"Authorization": f"Bearer {TOKENS[user]}"}


def own_ids(user: str) -> list[int]:
    return [doc_id for doc_id, doc in SEEDED.items() if doc["owner"] == user]


def error_detail(reply, code: str) -> None:
    """The body is `{"detail": {"code": code, "message": <str>}}`."""
    body = expect.json_object(reply, {"detail"})
    expect.exact_keys(reply, body["detail"], ERROR_KEYS, "`detail`")
    expect.equal(reply, body["detail"]["code"], code, "detail.code")
    if not isinstance(body["detail"]["message"], str):
        expect.fail(reply, "detail.message to be a string")


def unknown_tokens(ctx) -> list[dict]:
    return [{"Authorization": f"Bearer {ctx.token(12)}"}, {"Authorization": f"Bearer {ctx.word()}-{ctx.token(4)}"}]


def without_scheme(ctx) -> dict:
    """A real token without `Bearer `: sent only to GET routes, so an app that accepts it changes no state."""
    return {"Authorization": TOKENS[ctx.rng.choice(["alice", "bob"])]}


def protected_requests(ctx) -> list[tuple[str, str, dict]]:
    """(method, path, json) of every route, on a document that exists, in random order."""
    requests = [
        ("GET", f"/documents/{ctx.rng.choice([1, 2, 3])}", None),
        ("POST", f"/documents/{ctx.rng.choice([1, 2, 3])}/export", None),
        ("GET", f"/documents/{ctx.rng.choice([1, 2])}/stats", None),
        ("GET", "/search", None),
        ("POST", "/documents", {"title": ctx.words(), "body": ctx.words(6)}),
    ]
    ctx.rng.shuffle(requests)
    return requests


def send(client, ctx, method: str, path: str, json, headers: dict):
    params = {"q": ctx.word()} if path == "/search" else None
    return client.request(method, path, json=json, params=params, headers=headers)


def bad_credential_requests(ctx, missing: bool = True) -> list[tuple[str, str, dict, dict]]:
    """Every route with a bad credential (unknown tokens, no header), plus a scheme-less token on a GET document route."""
    extra = [{}] * 3 if missing else (unknown_tokens(ctx) + unknown_tokens(ctx))[:3]
    headers = unknown_tokens(ctx) + extra  # one per route of `protected_requests`
    ctx.rng.shuffle(headers)
    planned = [
        (method, path, json, h) for (method, path, json), h in zip(protected_requests(ctx), headers, strict=True)
    ]
    planned.append(("GET", f"/documents/{ctx.rng.choice([1, 2, 3])}", None, without_scheme(ctx)))
    ctx.rng.shuffle(planned)
    return planned


def unauthenticated_replies(client, ctx) -> list:
    """Bad credentials on every route (never counted by the rate limit, never spending anything)."""
    return [
        send(client, ctx, method, path, json, headers) for method, path, json, headers in bad_credential_requests(ctx)
    ]


# --- Authentication ---------------------------------------------------------------------------


@check(
    "A request without a token answers 401",
    points=2,
    docs="unauthorized",
    hint="Read the `Authorization` header with a default of `None` (`Header(None)` or `HTTPBearer(auto_error=False)`) "
    'and raise 401 yourself: a required header answers 422, and 403 means "I know who you are, and no".',
)
def no_token_401(client, ctx):
    for method, path, json in protected_requests(ctx):
        reply = send(client, ctx, method, path, json, {})
        expect.status(reply, 401)


@check(
    "An unknown token, or one without `Bearer `, answers 401",
    points=2,
    docs="unauthorized",
    hint="Accept only `Authorization: Bearer <token>` with a token from `TOKENS`; anything else raises 401.",
)
def unknown_token_401(client, ctx):
    for method, path, json, headers in bad_credential_requests(ctx, missing=False):
        reply = send(client, ctx, method, path, json, headers)
        expect.status(reply, 401)


@check(
    "Every 401 carries `WWW-Authenticate: Bearer`",
    points=2,
    docs="unauthorized",
    hint='Pass `headers={"WWW-Authenticate": "Bearer"}` to the `HTTPException` of every 401: it tells the client how to authenticate.',
)
def unauthorized_www_authenticate(client, ctx):
    replies = [r for r in unauthenticated_replies(client, ctx) if r.status_code == 401]
    if not replies:
        expect.fail(client.transcript[-1].reply, "a 401 for a request with an unknown token")
    for reply in replies:
        value = expect.header(reply, "www-authenticate")
        if not value.strip().lower().startswith("bearer"):
            expect.fail(reply, "WWW-Authenticate: Bearer", header="www-authenticate")


@check(
    'Every 401 body is `{"detail": {"code": "NOT_AUTHENTICATED", "message": ...}}`',
    points=1,
    docs="structured-detail",
    hint='Raise `HTTPException(401, detail={"code": "NOT_AUTHENTICATED", "message": "..."}, headers=...)`: '
    '`detail` may be any JSON value, and FastAPI sends it as `{"detail": ...}`.',
)
def unauthorized_body(client, ctx):
    replies = [r for r in unauthenticated_replies(client, ctx) if r.status_code == 401]
    if not replies:
        expect.fail(client.transcript[-1].reply, "a 401 for a request with an unknown token")
    for reply in replies:
        error_detail(reply, "NOT_AUTHENTICATED")


@check(
    "Auth is checked before anything else (401 before 404, 403, 402, 422 or 500)",
    points=2,
    docs="dependencies",
    hint="Put the token check in a dependency (`user: str = Depends(current_user)`) on every route: it runs before the "
    "route body, so a stranger learns nothing about which documents exist.",
)
def auth_checked_first(client, ctx):
    stranger = {"Authorization": f"Bearer {ctx.token(12)}"}
    requests = [
        ("GET", f"/documents/{ctx.unknown_id()}", None),  # would be 404
        ("GET", f"/documents/{ctx.rng.choice([1, 2, 3])}", None),  # exists: 200 or 403 to a known user
        ("POST", "/documents/2/export", None),  # bob's document: bob has no credits, 402
        ("POST", f"/documents/{ctx.unknown_id()}/export", None),
        ("GET", "/documents/3/stats", None),  # would crash: 500
        ("POST", "/documents", {"body": ctx.words()}),  # invalid: 422
    ]
    ctx.rng.shuffle(requests)
    for method, path, json in requests:
        reply = client.request(method, path, json=json, headers=stranger)
        expect.status(reply, 401)


# --- GET /documents/{doc_id} ------------------------------------------------------------------


@check(
    'GET /documents/{id} answers 200 {"id", "title", "pages"} for the caller\'s own document',
    points=2,
    docs="raise",
    hint="Return only `id`, `title` and `pages` (a response model): never the owner or the body.",
)
def get_own_document(client, ctx):
    # Every seeded document, by its owner, in random order.
    owned = [(SEEDED[doc_id]["owner"], doc_id) for doc_id in SEEDED]
    ctx.rng.shuffle(owned)
    for user, doc_id in owned:
        reply = client.get(f"/documents/{doc_id}", headers=auth(user))
        expect.status(reply, 200)
        body = expect.json_object(reply, {"id", "title", "pages"})
        seeded = SEEDED[doc_id]
        expect.equal(reply, body, {"id": doc_id, "title": seeded["title"], "pages": seeded["pages"]}, "the document")


@check(
    "GET /documents/{id} of an unknown id answers 404 with code DOCUMENT_NOT_FOUND",
    points=2,
    docs="raise",
    hint='`raise HTTPException(404, detail={"code": "DOCUMENT_NOT_FOUND", "message": ...})`: raise it, '
    "do not return it (a returned exception is serialised as a 200 body).",
)
def get_unknown_404(client, ctx):
    reply = client.get(f"/documents/{ctx.unknown_id()}", headers=auth(ctx.rng.choice(["alice", "bob"])))
    expect.status(reply, 404)
    error_detail(reply, "DOCUMENT_NOT_FOUND")


@check(
    "GET /documents/{id} of another user's document answers 403 with code FORBIDDEN",
    points=2,
    docs="unauthorized",
    hint='The caller is known (401 is for that) but not allowed: raise 403 with `{"code": "FORBIDDEN", ...}`.',
)
def get_other_users_403(client, ctx):
    # Every seeded document, by the user who does not own it, in random order.
    foreign = [(OTHER[SEEDED[doc_id]["owner"]], doc_id) for doc_id in SEEDED]
    ctx.rng.shuffle(foreign)
    for user, doc_id in foreign:
        reply = client.get(f"/documents/{doc_id}", headers=auth(user))
        expect.status(reply, 403)
        error_detail(reply, "FORBIDDEN")


# --- POST /documents/{doc_id}/export ----------------------------------------------------------


@check(
    "POST /documents/{id}/export answers 200 and spends one credit",
    points=2,
    docs="raise",
    hint='Subtract one credit of the caller and return `{"exported": doc_id, "credits_left": CREDITS[user]}`.',
)
def export_200(client, ctx):
    # Alice's first export: 2 credits -> 1.
    doc_id = ctx.rng.choice(own_ids("alice"))
    reply = client.post(f"/documents/{doc_id}/export", headers=auth("alice"))
    expect.status(reply, 200)
    body = expect.json_object(reply, {"exported", "credits_left"})
    expect.equal(reply, body, {"exported": doc_id, "credits_left": 1}, "the export (alice had 2 credits)")


@check(
    "With no credits left, export answers 402 with the top-level body of InsufficientCreditsError",
    points=3,
    docs="custom-exceptions",
    hint="Raise your own `InsufficientCreditsError` and register `@app.exception_handler(InsufficientCreditsError)` returning "
    '`JSONResponse(status_code=402, content={"code": "INSUFFICIENT_CREDITS", "required": 1, "available": 0})`: no `detail` wrapper.',
)
def export_402(client, ctx):
    # Bob never has credits.
    for _ in range(ctx.rng.randint(1, 2)):
        reply = client.post("/documents/2/export", headers=auth("bob"))
        expect.status(reply, 402)
        body = expect.json_object(reply, {"code", "required", "available"})
        expect.equal(reply, body, {"code": "INSUFFICIENT_CREDITS", "required": 1, "available": 0}, "the body")


@check(
    "Export answers 404 / 403 before it looks at credits",
    points=2,
    docs="custom-exceptions",
    hint="Find the document and check its owner first, then check the credits: a missing document is not a payment problem.",
)
def export_404_403_before_credits(client, ctx):
    # Bob has no credits, so an app that checks credits first answers 402 here.
    attempts = [
        (f"/documents/{ctx.unknown_id()}/export", 404, "DOCUMENT_NOT_FOUND"),
        (f"/documents/{ctx.rng.choice(own_ids('alice'))}/export", 403, "FORBIDDEN"),
    ]
    ctx.rng.shuffle(attempts)
    for path, code, error in attempts:
        reply = client.post(path, headers=auth("bob"))
        expect.status(reply, code)
        error_detail(reply, error)


@check(
    "A failed export spends nothing",
    points=2,
    docs="custom-exceptions",
    hint="Spend the credit last, after every check that can fail.",
)
def failed_export_spends_nothing(client, ctx):
    # Alice has 1 credit left after `export-200`; failed exports must not touch it.
    attempts = [f"/documents/{ctx.unknown_id()}/export", f"/documents/{own_ids('bob')[0]}/export"] * ctx.rng.randint(
        1, 2
    )
    ctx.rng.shuffle(attempts)
    for path in attempts:
        reply = client.post(path, headers=auth("alice"))
        if reply.status_code < 400:
            expect.fail(reply, "an error (the document is missing or not hers)")
    doc_id = ctx.rng.choice(own_ids("alice"))
    reply = client.post(f"/documents/{doc_id}/export", headers=auth("alice"))
    if reply.status_code != 200:
        expect.fail(reply, "200: alice still has 1 of her 2 credits (one export so far, the others failed)")
    body = expect.json_object(reply)
    expect.equal(reply, body.get("credits_left"), 0, "credits_left (after 2 successful exports)")
    reply = client.post(f"/documents/{doc_id}/export", headers=auth("alice"))
    expect.status(reply, 402)


# --- GET /search -----------------------------------------------------------------------------


def random_case(ctx, text: str) -> str:
    """`text` in a random mix of cases, but every capital sent small and at least one small letter
    sent as a capital: a search that lowers only the query, only the titles, or neither fails every run."""
    chars = [c.upper() if ctx.rng.random() < 0.5 else c.lower() for c in text]
    for i, c in enumerate(text):
        if c.isupper():
            chars[i] = c.lower()
    small = [i for i, c in enumerate(text) if c.islower()]
    if small and not any(chars[i].isupper() for i in small):
        i = ctx.rng.choice(small)
        chars[i] = text[i].upper()
    return "".join(chars)


def fragment(ctx, title: str, at_start: bool = False) -> str:
    """A random piece (3+ characters, no edge spaces) of a title: from its start (with its capital),
    or from inside it (so a `startswith` search fails)."""
    while True:
        start = 0 if at_start else ctx.rng.randrange(1, len(title) - 3)
        piece = title[start : start + ctx.rng.randint(3, 8)].strip()
        if len(piece) >= 3:
            return piece


def titles_matching(user: str, query: str) -> list[str]:
    return sorted(
        d["title"] for d in SEEDED.values() if d["owner"] == user and query.casefold() in d["title"].casefold()
    )


def search(client, user: str, query: str):
    return client.get("/search", params={"q": query}, headers=auth(user))


def expect_titles(reply, user: str, query: str) -> None:
    expect.status(reply, 200)
    titles = expect.json_list(reply)
    wanted = titles_matching(user, query)
    if not all(isinstance(t, str) for t in titles) or sorted(titles) != wanted:
        expect.fail(reply, f"the titles of {user}'s documents containing {query!r} in any case: {wanted}")


@check(
    "GET /search?q= answers 200 with the titles of the caller's documents containing q, in any case",
    points=2,
    docs="rate-limit",
    hint='Compare `q.casefold() in doc["title"].casefold()` over the caller\'s documents and return a list of titles.',
)
def search_finds_titles(client, ctx):
    # Alice's 1st search: a piece from inside a title, in a case it is not written in.
    query = random_case(
        ctx, fragment(ctx, ctx.rng.choice([d["title"] for d in SEEDED.values() if d["owner"] == "alice"]))
    )
    expect_titles(search(client, "alice", query), "alice", query)


@check(
    "GET /search finds only the caller's own documents",
    points=1,
    docs="rate-limit",
    hint='Filter on `doc["owner"] == user` before matching the title.',
)
def search_own_documents_only(client, ctx):
    # Bob's 1st and 2nd searches, in random order: a piece of one of alice's titles, and the start of his own.
    while True:
        foreign = fragment(ctx, ctx.rng.choice([d["title"] for d in SEEDED.values() if d["owner"] == "alice"]))
        if not titles_matching("bob", foreign):
            break
    queries = [random_case(ctx, foreign), random_case(ctx, fragment(ctx, SEEDED[2]["title"], at_start=True))]
    ctx.rng.shuffle(queries)
    for query in queries:
        expect_titles(search(client, "bob", query), "bob", query)


@check(
    "The 4th search of a token answers 429 with code RATE_LIMITED",
    points=2,
    docs="rate-limit",
    hint='Count searches per token; past 3, raise `HTTPException(429, detail={"code": "RATE_LIMITED", ...}, headers={"Retry-After": "60"})`.',
)
def search_429(client, ctx):
    # Alice's 2nd and 3rd searches (their answers are not judged here), then her 4th.
    for _ in range(2):
        search(client, "alice", ctx.word())
    reply = search(client, "alice", ctx.word())
    expect.status(reply, 429)
    error_detail(reply, "RATE_LIMITED")


@check(
    "A 429 carries `Retry-After` in whole seconds > 0",
    points=2,
    docs="rate-limit",
    hint='Add `headers={"Retry-After": "60"}` to the 429: the seconds the client should wait (a string of digits, not 0).',
)
def search_429_retry_after(client, ctx):
    # Alice's 5th search: still limited.
    reply = search(client, "alice", ctx.word())
    expect.status(reply, 429)
    value = expect.header(reply, "retry-after").strip()
    if not re.fullmatch(r"\d+", value) or int(value) <= 0:
        expect.fail(reply, "Retry-After: a whole number of seconds > 0", header="retry-after")


@check(
    "The search limit counts each token separately",
    points=2,
    docs="rate-limit",
    hint="Keep one counter per token (a dict or `Counter` keyed by token), not one for everybody.",
)
def search_limit_per_token(client, ctx):
    # Bob's 3rd search: alice is limited, bob is not.
    query = random_case(ctx, fragment(ctx, SEEDED[2]["title"]))
    reply = search(client, "bob", query)
    if reply.status_code == 429:
        expect.fail(reply, "200: bob has searched only twice (alice's searches must not count for him)")
    expect_titles(reply, "bob", query)


# --- GET /documents/{doc_id}/stats ----------------------------------------------------------------


@check(
    'GET /documents/{id}/stats answers 200 {"id", "density"}',
    points=1,
    docs="catch-all",
    hint='Return `{"id": doc_id, "density": page_density(doc)}` for the caller\'s own document.',
)
def stats_200(client, ctx):
    # Both users' documents with pages, in random order.
    owned = [("alice", 1), ("bob", 2)]
    ctx.rng.shuffle(owned)
    for user, doc_id in owned:
        reply = client.get(f"/documents/{doc_id}/stats", headers=auth(user))
        expect.status(reply, 200)
        body = expect.json_object(reply, {"id", "density"})
        doc = SEEDED[doc_id]
        density = len(doc["body"].split()) / doc["pages"]
        if (
            body["id"] != doc_id
            or not isinstance(body["density"], (int, float))
            or abs(body["density"] - density) > 1e-9
        ):
            expect.fail(reply, f'{{"id": {doc_id}, "density": {density}}}')


@check(
    "Stats of an unknown or another user's document answer 404 / 403",
    points=1,
    docs="raise",
    hint="Use the same lookup as `GET /documents/{doc_id}` before computing anything.",
)
def stats_404_403(client, ctx):
    attempts = [(f"/documents/{ctx.unknown_id()}/stats", 404), ("/documents/2/stats", 403)]
    ctx.rng.shuffle(attempts)
    for path, code in attempts:
        expect.status(client.get(path, headers=auth("alice")), code)


def crash_replies(client, ctx) -> list[tuple[object, Fault | None]]:
    """The crash the contract names (document 3), then one of a type nobody could handle specifically.

    The second makes `page_density` raise a made-up exception class for one of
    the caller's other documents; when the route does not call the helper
    through the module (it answers as usual), only the first counts.
    """
    replies = [(client.get("/documents/3/stats", headers=auth("alice")), None)]
    user = ctx.rng.choice(["alice", "bob"])
    with crash(client, ctx, "page_density") as fault:
        if fault is not None:
            reply = client.get(f"/documents/{own_ids(user)[0]}/stats", headers=auth(user))
            if reply.status_code >= 500:
                replies.append((reply, fault))
    return replies


def expect_500(reply, fault: Fault | None) -> None:
    if reply.status_code == 500 or fault is None:
        expect.status(reply, 500)
        return
    expect.fail(reply, f"500 from a catch-all handler when {fault.describe()}: {CATCH_ALL_ADVICE}")


def catch_all_failed(reply, fault: Fault | None, expected: str, got: str | None = None) -> None:
    if fault is not None:
        expected = f"{expected} when {fault.describe()}: {CATCH_ALL_ADVICE}"
    expect.fail(reply, expected, got)


@check(
    'A crash answers 500 with a JSON body `{"detail": ...}` from a catch-all handler',
    points=2,
    docs="catch-all",
    hint="Register `@app.exception_handler(Exception)` returning "
    '`JSONResponse(status_code=500, content={"detail": "Internal server error"})`: a handler for '
    "`ZeroDivisionError` alone misses every other crash.",
)
def stats_crash_500_json(client, ctx):
    for reply, fault in crash_replies(client, ctx):
        expect_500(reply, fault)
        if not reply.headers.get("content-type", "").startswith("application/json"):
            catch_all_failed(reply, fault, "a JSON response (application/json)", reply.summary("content-type"))
        try:
            body = reply.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or set(body) != {"detail"} or not isinstance(body["detail"], str):
            catch_all_failed(reply, fault, 'the body {"detail": <str>}')


@check(
    'The 500 says only "Internal server error": no traceback, exception, file path or document text',
    points=3,
    docs="catch-all",
    hint="Never put `str(exc)`, the exception's name or `traceback.format_exc()` in a response: log them on the server.",
)
def stats_500_hides_internals(client, ctx):
    for reply, fault in crash_replies(client, ctx):
        expect_500(reply, fault)
        seen = readable_text(reply).lower()
        shown = [marker for marker in INTERNALS if marker in seen] + (fault.shown_by(reply) if fault else [])
        if shown:
            catch_all_failed(
                reply,
                fault,
                "nothing internal in the response",
                f"{reply.status_code} showing {shown}: body {reply.body_excerpt()}",
            )
        try:
            body = reply.json()
        except ValueError:
            continue  # not JSON: `stats-crash-500-json` says so
        if isinstance(body, dict) and "detail" in body and body["detail"] != "Internal server error":
            catch_all_failed(reply, fault, 'detail = "Internal server error"', f"detail = {body['detail']!r}")


# --- POST /documents ----------------------------------------------------------------------------


def new_document(ctx) -> dict:
    return {"title": ctx.words(), "body": ctx.words(8)}


@check(
    'POST /documents answers 201 {"id", "title"}',
    points=2,
    docs="validation",
    hint="`status_code=201` on the decorator; return only the new id and the title.",
)
def create_201(client, ctx):
    sent = new_document(ctx)
    reply = client.post("/documents", json=sent, headers=auth(ctx.rng.choice(["alice", "bob"])))
    expect.status(reply, 201)
    body = expect.json_object(reply, {"id", "title"})
    expect.equal(reply, body["title"], sent["title"], "title")
    if not isinstance(body["id"], int) or isinstance(body["id"], bool) or body["id"] in SEEDED:
        expect.fail(reply, "a new integer id (not 1, 2 or 3)", f"id = {body['id']!r}")


@check(
    "A new document is owned by the caller",
    points=1,
    docs="validation",
    hint="Store the caller's name as `owner`: the owner can GET it (200), the other user cannot (403).",
)
def create_owned_by_caller(client, ctx):
    # One document by each user, in random order: an owner hard-coded to one user fails on every run.
    owners = ["alice", "bob"]
    ctx.rng.shuffle(owners)
    for owner in owners:
        sent = new_document(ctx)
        created = client.post("/documents", json=sent, headers=auth(owner))
        body = expect.json_object(created)
        if created.status_code >= 300 or not isinstance(body.get("id"), int):
            expect.fail(created, "the document to be created (2xx with an integer id)")
        reply = client.get(f"/documents/{body['id']}", headers=auth(owner))
        expect.status(reply, 200)
        expect.equal(reply, expect.json_object(reply).get("title"), sent["title"], "title")
        reply = client.get(f"/documents/{body['id']}", headers=auth(OTHER[owner]))
        if reply.status_code < 400:
            expect.fail(reply, f"an error: {OTHER[owner]} does not own the document {owner} created")


def invalid_documents(ctx) -> list[tuple[dict, str]]:
    """(invalid body, the failing field) in random order; each carries a canary secret."""
    cases = [
        ({"body": ctx.secret("the body sent in an invalid document")}, "title"),  # title missing
        ({"title": "", "body": ctx.secret("the body sent in an invalid document")}, "title"),  # too short
        ({"title": ctx.secret("an over-long title") + "x" * 100, "body": ctx.words()}, "title"),  # too long
        ({"title": ctx.words(), "body": [ctx.secret("the body sent in an invalid document")]}, "body"),  # not a string
    ]
    ctx.rng.shuffle(cases)
    return cases


@check(
    "An invalid document answers 422 naming the failing fields",
    points=2,
    docs="validation",
    hint="Let FastAPI validate `DocumentIn` (title with `Field(min_length=1, max_length=100)`) and keep `loc` / `msg` "
    "of each error in your handler's response.",
)
def create_422_lists_fields(client, ctx):
    for sent, field_name in invalid_documents(ctx):
        reply = client.post("/documents", json=sent, headers=auth(ctx.rng.choice(["alice", "bob"])))
        expect.status(reply, 422)
        body = expect.json_body(reply)
        if field_name not in re.findall(r"\w+", str(body)):
            expect.fail(reply, f"the response to name the failing field {field_name!r}")


@check(
    "The 422 does not echo what the client sent",
    points=3,
    docs="validation",
    hint="Add `@app.exception_handler(RequestValidationError)` that keeps `loc`, `msg` and `type` of each error and drops "
    "`input` (and never returns `exc.body`): the default 422 echoes the submitted values, secrets included.",
)
def create_422_no_echo(client, ctx):
    for sent, _ in invalid_documents(ctx):
        reply = client.post("/documents", json=sent, headers=auth(ctx.rng.choice(["alice", "bob"])))
        expect.status(reply, 422)
        # Decoded too: an echo written with \u escapes, in base64 or hex is still an echo.
        echoed = [ctx.canaries[secret] for secret in shown_by_reply(reply, ctx.canaries)]
        if echoed:
            expect.fail(
                reply,
                "the errors without the submitted values",
                f"422 echoing {echoed[0]}: body {reply.body_excerpt()}",
            )


# --- OpenAPI --------------------------------------------------------------------------------------


def resolve(schema, document: dict) -> dict:
    seen = set()
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"] not in seen:
        seen.add(schema["$ref"])
        target = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        schema = target
    return schema if isinstance(schema, dict) else {}


@check(
    "OpenAPI: GET /documents/{doc_id} documents 401, 403 and 404 with an error schema",
    points=2,
    docs="openapi",
    hint='Pass `responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}}` to the decorator.',
)
def openapi_documents_errors(client, ctx):
    reply = client.get("/openapi.json", leak_scan=False)
    expect.status(reply, 200)
    document = expect.json_object(reply)
    operation = ((document.get("paths") or {}).get("/documents/{doc_id}") or {}).get("get")
    if not isinstance(operation, dict):
        expect.fail(reply, "an operation GET /documents/{doc_id} in the OpenAPI document")
    responses = operation.get("responses") or {}
    for code in ("401", "403", "404"):
        media = ((responses.get(code) or {}).get("content") or {}).get("application/json") or {}
        schema = resolve(media.get("schema"), document)
        if not schema.get("properties"):
            expect.fail(
                reply,
                f"response {code} of GET /documents/{{doc_id}} documented with a JSON object schema",
                f"responses {sorted(responses)}" + ("" if code not in responses else f", {code} without a schema"),
            )
