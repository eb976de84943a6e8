"""Checks for lesson 06, Fix the leaky API: one per line of the contract.

Every password sent is a canary (`ctx.secret`) and so is its hash, computed
here with the curriculum's formula: the leak scan at the end finds either in
any body or header, under any key, and in the OpenAPI document.
"""

import hashlib
import re

from grader import expect
from grader.checks import CheckFailed, check
from grader.inject import CATCH_ALL_ADVICE, Fault, crash
from grader.leaks import fetch_openapi, leak_check, response_schemas, schema_property_names
from grader.unescape import readable_text

USER_KEYS = {"id", "name", "email"}
FORBIDDEN_KEYS = {"password", "hashed_password", "internal_notes", "is_deleted"}
NOT_FOUND = {"detail": "User not found"}
INTERNAL_ERROR = {"detail": "Internal server error"}
# What a 500 must not show: the exception's name, its message, a traceback.
INTERNALS = ("traceback", "valueerror", "not enough values", 'file "', "build_report")


def hash_password(password: str) -> str:
    """The starter's helper, so a leaked hash is recognised wherever it appears."""
    return hashlib.sha256(("capstone:" + password).encode()).hexdigest()


def two_part_name(ctx) -> str:
    return f"{ctx.word().capitalize()} {ctx.word().capitalize()}"


def one_word_name(ctx) -> str:
    return ctx.word().capitalize() + ctx.token(3)


def new_user(ctx, name: str | None = None) -> dict:
    password = ctx.secret("a password sent to POST /users")
    ctx.canary(hash_password(password), "the hash of a password sent to POST /users")
    return {"name": name or two_part_name(ctx), "email": f"{ctx.name()}@{ctx.word()}.example", "password": password}


def public(user: dict, user_id: int) -> dict:
    return {"id": user_id, "name": user["name"], "email": user["email"]}


def create(client, ctx, name: str | None = None) -> tuple[dict, int]:
    """POST a random user; return (what was sent, its id) or fail saying why."""
    sent = new_user(ctx, name)
    reply = client.post("/users", json=sent)
    if reply.status_code >= 300:
        expect.fail(reply, "the user to be created (any 2xx) so this check can go on")
    body = expect.json_object(reply)
    user_id = body.get("id")
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        expect.fail(reply, "the created user with an integer `id`")
    return sent, user_id


PLACEHOLDER = "a placeholder user: never invent a user for an id that does not exist"


def refused(reply, code: int, body: dict | None = None, user_shaped: str = PLACEHOLDER) -> None:
    """Expect an error status (and body); name the usual ways an error is disguised as success.

    `user_shaped` says what a 2xx body with an `id` is, for this request.
    """
    wanted = f"status {expect.phrase(code)}" + (f" with exactly {body}" if body else "")
    if 200 <= reply.status_code < 300:
        try:
            got = reply.json()
        except ValueError:
            got = None
        if isinstance(got, dict) and "error" in got:
            expect.fail(
                reply,
                wanted,
                f"{reply.status_code} with the error body {reply.body_excerpt()}: "
                "an error sent with a 2xx status looks like success to every client",
            )
        if isinstance(got, dict) and "id" in got:
            expect.fail(reply, wanted, f"{reply.status_code} with {user_shaped} ({reply.body_excerpt()})")
    expect.status(reply, code)
    if body is not None:
        expect.equal(reply, expect.json_body(reply), body, "the body")


def wrong_login(client, ctx):
    """A login with the right email and a wrong password."""
    sent, _ = create(client, ctx)
    return client.post(
        "/login", json={"email": sent["email"], "password": ctx.secret("a wrong password sent to POST /login")}
    )


@check(
    "POST /users answers 201 Created",
    points=2,
    docs="created",
    hint="Set `status_code=status.HTTP_201_CREATED` on the decorator: 200 does not say that a user was created.",
)
def create_status_201(client, ctx):
    reply = client.post("/users", json=new_user(ctx))
    expect.status(reply, 201)


@check(
    "POST /users returns a UserOut: exactly id, name and email",
    points=2,
    docs="response-model",
    hint="Declare `response_model=UserOut` (id, name, email): it strips the hash and the internal fields from the stored record.",
)
def create_returns_user_out(client, ctx):
    first, second = new_user(ctx), new_user(ctx)
    replies = [client.post("/users", json=first), client.post("/users", json=second)]
    ids = []
    for reply, sent in zip(replies, (first, second), strict=True):
        body = expect.json_object(reply, USER_KEYS)
        if not isinstance(body["id"], int) or isinstance(body["id"], bool):
            expect.fail(reply, "`id` to be an integer", f"id = {body['id']!r}")
        expect.equal(
            reply,
            {"name": body["name"], "email": body["email"]},
            {"name": sent["name"], "email": sent["email"]},
            "name and email",
        )
        ids.append(body["id"])
    if ids[0] == ids[1]:
        expect.fail(replies[1], "a new id for a second user", f"the same id {ids[1]} twice")


@check(
    "POST /users sets Location: /users/{id}",
    points=1,
    docs="created",
    hint='Take a `response: Response` parameter and set `response.headers["Location"] = f"/users/{user_id}"`.',
)
def create_sets_location(client, ctx):
    reply = client.post("/users", json=new_user(ctx))
    body = expect.json_body(reply)
    user_id = body.get("id") if isinstance(body, dict) else None
    if expect.location_path(reply) != f"/users/{user_id}":
        expect.fail(reply, f"Location: /users/{user_id}", header="location")


@check(
    "GET /users answers 200 with a list of UserOut",
    points=1,
    docs="response-model",
    hint="Use `response_model=list[UserOut]`: each stored record is filtered like a single one.",
)
def list_users(client, ctx):
    sent, user_id = create(client, ctx)
    reply = client.get("/users")
    expect.status(reply, 200)
    users = expect.json_list(reply)
    for item in users:
        expect.exact_keys(reply, item, USER_KEYS, "each user")
    if public(sent, user_id) not in users:
        expect.fail(reply, f"the list to include the user just created ({public(sent, user_id)})")


@check(
    "GET /users/{id} answers 200 with that user as a UserOut",
    points=1,
    docs="response-model",
    hint="Look the id up and return the stored record through `response_model=UserOut`.",
)
def get_user(client, ctx):
    sent, user_id = create(client, ctx)
    create(client, ctx)  # a second user, so returning "the last one" is caught
    reply = client.get(f"/users/{user_id}")
    expect.status(reply, 200)
    body = expect.json_object(reply, USER_KEYS)
    expect.equal(reply, body, public(sent, user_id), "the user")


@check(
    'GET /users/{id} of an unknown id answers 404 {"detail": "User not found"}',
    points=2,
    docs="not-found",
    hint='`raise HTTPException(status_code=404, detail="User not found")`: never a placeholder user, never a 200 with an error body.',
)
def get_unknown_404(client, ctx):
    reply = client.get(f"/users/{ctx.unknown_id()}")
    refused(reply, 404, NOT_FOUND)


@check(
    "DELETE /users/{id} answers 204 No Content",
    points=1,
    docs="no-content",
    hint="Use `status_code=status.HTTP_204_NO_CONTENT` on the decorator and return nothing.",
)
def delete_204(client, ctx):
    _, user_id = create(client, ctx)
    reply = client.delete(f"/users/{user_id}")
    expect.status(reply, 204)


@check(
    "DELETE /users/{id} sends an empty body",
    points=1,
    docs="no-content",
    hint="A 204 has no body: return `None`. A `JSONResponse(..., status_code=204)` sends its content anyway.",
)
def delete_empty_body(client, ctx):
    _, user_id = create(client, ctx)
    reply = client.delete(f"/users/{user_id}")
    if reply.status_code >= 300:
        expect.fail(reply, "the user to be deleted (2xx) so this check can go on")
    if reply.content:
        expect.fail(
            reply,
            "an empty body (204 No Content has none)",
            f"{reply.status_code} with the body {reply.body_excerpt()}",
        )


@check(
    "DELETE /users/{id} of an unknown id answers 404",
    points=1,
    docs="not-found",
    hint="Look the user up first and raise `HTTPException(404)` when it is missing (or already deleted).",
)
def delete_unknown_404(client, ctx):
    reply = client.delete(f"/users/{ctx.unknown_id()}")
    refused(reply, 404)


@check(
    "A deleted user is gone: GET /users/{id} answers 404",
    points=1,
    docs="deleted",
    hint="If you keep the record with `is_deleted = True`, treat it as missing in the lookup every route uses.",
)
def deleted_get_404(client, ctx):
    _, user_id = create(client, ctx)
    deleted = client.delete(f"/users/{user_id}")
    if deleted.status_code >= 300:
        expect.fail(deleted, "the user to be deleted (2xx) so this check can go on")
    reply = client.get(f"/users/{user_id}")
    refused(reply, 404, user_shaped="the deleted user, still served")


@check(
    "A deleted user is gone: GET /users no longer lists it",
    points=1,
    docs="deleted",
    hint="Filter out records with `is_deleted` set when you build the list (or remove the record).",
)
def deleted_not_listed(client, ctx):
    _, user_id = create(client, ctx)
    deleted = client.delete(f"/users/{user_id}")
    if deleted.status_code >= 300:
        expect.fail(deleted, "the user to be deleted (2xx) so this check can go on")
    reply = client.get("/users")
    expect.status(reply, 200)
    users = expect.json_list(reply)
    if any(isinstance(item, dict) and item.get("id") == user_id for item in users):
        expect.fail(
            reply,
            f"the deleted user {user_id} to be absent from the list",
            f"200 with user {user_id} still listed: {reply.body_excerpt()}",
        )


@check(
    'POST /login answers 200 with exactly {"token": <str>}',
    points=2,
    docs="login",
    hint="Return only a token, such as one from `secrets.token_urlsafe()`: not the user record, not anything derived from the hash.",
)
def login_token(client, ctx):
    sent, _ = create(client, ctx)
    reply = client.post("/login", json={"email": sent["email"], "password": sent["password"]})
    expect.status(reply, 200)
    body = expect.json_object(reply, {"token"})
    if not isinstance(body["token"], str) or not body["token"]:
        expect.fail(reply, "`token` to be a non-empty string", f"token = {body['token']!r}")


@check(
    "POST /login with a wrong email or password answers 401",
    points=2,
    docs="login",
    hint="`raise HTTPException(status_code=401, ...)`: 401 says the credentials are wrong; 403 would mean they are right but not allowed.",
)
def login_wrong_401(client, ctx):
    refused(wrong_login(client, ctx), 401)
    unknown = {"email": f"{ctx.name()}@{ctx.word()}.example", "password": ctx.secret("a password sent to POST /login")}
    refused(client.post("/login", json=unknown), 401)


@check(
    "A refused login sends WWW-Authenticate: Bearer",
    points=1,
    docs="login",
    hint='Pass `headers={"WWW-Authenticate": "Bearer"}` to the HTTPException: a 401 must say how to authenticate.',
)
def login_www_authenticate(client, ctx):
    reply = wrong_login(client, ctx)
    if reply.status_code < 400:
        expect.fail(reply, "the wrong password to be refused with 401 so this check can go on")
    value = expect.header(reply, "www-authenticate")
    if value.split(" ")[0].lower() != "bearer":
        expect.fail(reply, "WWW-Authenticate: Bearer", header="www-authenticate")


@check(
    "GET /users/{id}/report answers 200 with build_report's result",
    points=1,
    docs="server-errors",
    hint="Look the user up and return `build_report(user)` as it is.",
)
def report_200(client, ctx):
    sent, user_id = create(client, ctx)
    reply = client.get(f"/users/{user_id}/report")
    expect.status(reply, 200)
    first, last = sent["name"].split(" ", 1)
    wanted = {"user_id": user_id, "initials": first[0] + last[0], "email_domain": sent["email"].split("@")[1]}
    expect.equal(reply, expect.json_body(reply), wanted, "the report")


@check(
    'A failing report answers 500 {"detail": "Internal server error"}, no traceback',
    points=2,
    docs="server-errors",
    hint='Add `@app.exception_handler(Exception)` returning `JSONResponse({"detail": "Internal server error"}, status_code=500)`, '
    "and keep `debug` off: a handler for `ValueError` alone misses every other crash.",
)
def report_500_hidden(client, ctx):
    _, user_id = create(client, ctx, name=one_word_name(ctx))  # build_report cannot split a one-word name
    expect_internal_error(client.get(f"/users/{user_id}/report"), None)
    # Then a crash of a type made up for this run, for a user whose report works: only a catch-all for
    # Exception answers it. A route that does not call build_report through the module answers as usual.
    _, user_id = create(client, ctx)
    with crash(client, ctx, "build_report") as fault:
        reply = client.get(f"/users/{user_id}/report") if fault else None
    if fault is not None and reply.status_code >= 500:
        expect_internal_error(reply, fault)


def expect_internal_error(reply, fault: Fault | None) -> None:
    wanted = f"500 with exactly {INTERNAL_ERROR} (no traceback or exception text)"
    if fault is not None:
        wanted += f" when {fault.describe()}: {CATCH_ALL_ADVICE}"
    shown = readable_text(reply).lower()
    found = [marker for marker in INTERNALS if marker in shown] + (fault.shown_by(reply) if fault else [])
    if found:
        expect.fail(
            reply, wanted, f"{reply.status_code} showing internals ({', '.join(found)}): {reply.body_excerpt()}"
        )
    if reply.status_code != 500:
        expect.fail(reply, wanted)
    try:
        body = reply.json()
    except ValueError:
        expect.fail(
            reply,
            wanted,
            f"500, {reply.headers.get('content-type', 'no content-type')}, body {reply.body_excerpt()} (not JSON: is the catch-all handler missing?)",
        )
    expect.equal(reply, body, INTERNAL_ERROR, "the body" + (f" ({CATCH_ALL_ADVICE})" if fault else ""))


@check(
    "GET /users/{id}/report of an unknown id answers 404",
    points=1,
    docs="not-found",
    hint="Use the same lookup as `GET /users/{user_id}`, which raises `HTTPException(404)`.",
)
def report_unknown_404(client, ctx):
    reply = client.get(f"/users/{ctx.unknown_id()}/report")
    refused(reply, 404)


# (label, method, path pattern): any path parameter name will do for /users/{user_id}.
USER_ROUTES = (
    ("POST /users", "POST", re.compile(r"^/users$")),
    ("GET /users", "GET", re.compile(r"^/users$")),
    ("GET /users/{user_id}", "GET", re.compile(r"^/users/\{[^/]+\}$")),
)


@check(
    "OpenAPI: the users' success responses are documented as UserOut, with no secret fields",
    points=2,
    docs="openapi",
    hint="Document the routes with `response_model=UserOut` (a model with only id, name and email), not with the stored record.",
)
def openapi_user_out(client, ctx):
    document = fetch_openapi(client)
    if document is None:
        raise CheckFailed("Expected an OpenAPI document (GET /openapi.json or app.openapi()). Got none.")
    problems = []
    for label, method, pattern in USER_ROUTES:
        operations = [
            (code, schema)
            for operation, code, schema in response_schemas(document)
            if operation.split(" ")[0] == method and pattern.match(operation.split(" ", 1)[1]) and code.startswith("2")
        ]
        if not operations:
            problems.append(f"{label} documents no success response schema")
        for code, schema in operations:
            names = set(schema_property_names(schema, document))
            if names != USER_KEYS:
                extra = sorted(names - USER_KEYS)
                secret = sorted(name for name in names if name.lower() in FORBIDDEN_KEYS)
                if secret:
                    detail = f"the secret fields {secret}"
                elif extra:
                    detail = f"the extra fields {extra}"
                else:
                    detail = f"the fields {sorted(names)}" if names else "no fields (is response_model missing?)"
                problems.append(f"{label} → {code} is documented with {detail}")
    if problems:
        raise CheckFailed(
            f"Expected UserOut (id, name, email) as the documented success schema. Got: {'; '.join(problems)}."
        )


no_leaks = leak_check(
    FORBIDDEN_KEYS,
    points=4,
    title="No response leaks a password, a hash or an internal field",
    docs="leaks",
    hint="Filter every user through UserOut, keep the hash out of tokens, error messages and headers, and never echo a password.",
)
