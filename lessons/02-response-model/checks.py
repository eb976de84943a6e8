"""Checks for lesson 02, Accounts API: one per line of the contract.

Every password the checks send is a canary secret, and so is its hash (the
starter code's `hash_password`): the leak check at the end searches every
recorded response, headers included, and the OpenAPI document for them and
for the keys that must never leave the server.
"""

import hashlib

from grader import expect
from grader.checks import CheckFailed, check
from grader.leaks import leak_check, resolve, response_schemas

USER_KEYS = {"id", "username", "email"}
FORBIDDEN_KEYS = {"password", "hashed_password", "is_admin", "created_at"}


def course_hash(password: str) -> str:
    """The starter code's `hash_password`, so the hash of each password is a canary too."""
    return hashlib.sha256(("course-salt:" + password).encode()).hexdigest()


def new_user(ctx) -> dict:
    username = ctx.name()
    password = ctx.secret("the password sent to POST /users")
    ctx.canary(course_hash(password), "the hash of a password sent to POST /users")
    return {"username": username, "email": f"{username}@{ctx.word()}.example", "password": password}


def public(sent: dict) -> dict:
    return {"username": sent["username"], "email": sent["email"]}


def create(client, ctx) -> dict:
    """POST a random user; return it as {id, username, email} or fail saying why.

    The id comes from the POST body, or else from `GET /users`, so a wrong
    POST body costs the POST checks only.
    """
    sent = new_user(ctx)
    reply = created(client, sent)
    body = expect.json_body(reply)
    if isinstance(body, dict) and is_int(body.get("id")):
        return {"id": body["id"], **public(sent)}
    listing = client.get("/users")
    for item in expect.json_body(listing) if listing.status_code == 200 else []:
        if isinstance(item, dict) and item.get("username") == sent["username"] and is_int(item.get("id")):
            return {"id": item["id"], **public(sent)}
    expect.fail(reply, "the created user's integer `id` (in the POST body or in GET /users) so this check can go on")


def created(client, sent: dict):
    reply = client.post("/users", json=sent)
    if reply.status_code >= 300:
        expect.fail(reply, "the user to be created (any 2xx) so this check can go on")
    return reply


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@check(
    "POST /users answers 201 Created",
    points=1,
    docs="create",
    hint="Set `status_code=status.HTTP_201_CREATED` on the decorator.",
)
def create_status_201(client, ctx):
    reply = client.post("/users", json=new_user(ctx))
    expect.status(reply, 201)


@check(
    "POST /users returns a UserOut: exactly id, username and email",
    points=3,
    docs="response-model",
    hint="Declare `response_model=UserOut` (id, username, email) on the route: FastAPI then validates what you "
    "return against UserOut and drops every other field.",
)
def create_returns_user_out(client, ctx):
    sent = [new_user(ctx), new_user(ctx)]
    replies = [client.post("/users", json=user) for user in sent]
    ids = []
    for reply, user in zip(replies, sent, strict=True):
        body = expect.json_object(reply, USER_KEYS)
        if not is_int(body["id"]):
            expect.fail(reply, "`id` to be an integer", f"id = {body['id']!r}")
        expect.equal(reply, {"username": body["username"], "email": body["email"]}, public(user), "username and email")
        ids.append(body["id"])
    if ids[0] == ids[1]:
        expect.fail(replies[1], "a new id for a second user", f"the same id {ids[1]} twice")


@check(
    "GET /users answers 200 with a list of UserOut",
    points=2,
    docs="lists",
    hint="Use `response_model=list[UserOut]`: the list route needs the filter as much as the item route.",
)
def list_users(client, ctx):
    mine = [create(client, ctx), create(client, ctx)]
    reply = client.get("/users")
    expect.status(reply, 200)
    users = expect.json_list(reply)
    for item in users:
        expect.exact_keys(reply, item, USER_KEYS, "each user")
    for user in mine:
        if user not in users:
            expect.fail(reply, f"the list to include both users just created, among them {user}")


@check(
    "GET /users/{user_id} answers 200 with that user as a UserOut",
    points=2,
    docs="response-model",
    hint="Look the id up and return that user through `response_model=UserOut`.",
)
def get_user(client, ctx):
    user = create(client, ctx)
    create(client, ctx)  # a second user, so returning "the last one" is caught
    reply = client.get(f"/users/{user['id']}")
    expect.status(reply, 200)
    body = expect.json_object(reply, USER_KEYS)
    expect.equal(reply, body, user, "the user")


@check(
    "GET /users/{user_id} of an unknown id answers 404, never a placeholder user",
    points=2,
    docs="not-found",
    hint='`raise HTTPException(status_code=404, detail="User not found")`; an empty or made-up user '
    "answered with 200 looks like real data to the client.",
)
def get_unknown_404(client, ctx):
    expect.require_route(client, "GET", "/users/{user_id}")
    reply = client.get(f"/users/{ctx.unknown_id()}")
    expect.status(reply, 404)


@check(
    "POST /users with a username already taken answers 409 Conflict",
    points=1,
    docs="conflict",
    hint="Before storing, look for a stored user with the same username and "
    '`raise HTTPException(status_code=409, detail="Username already taken")`; echo nothing the client sent.',
)
def duplicate_username_409(client, ctx):
    first = new_user(ctx)
    created(client, first)
    again = new_user(ctx)
    again["username"] = first["username"]
    reply = client.post("/users", json=again)
    expect.status(reply, 409)


@check(
    "A body with a wrong type answers 422",
    points=1,
    docs="errors",
    hint="Declare the body as `user: UserIn` and let FastAPI validate it; an exception handler of your own "
    "must not put the request body back into the response.",
)
def invalid_body_422(client, ctx):
    # A wrong type on `email`: FastAPI's own 422 echoes only that value, so this
    # response is in the leak scan, and an app's handler that echoes the body is caught.
    wrong_type = new_user(ctx)
    wrong_type["email"] = [ctx.word(), ctx.word()]
    expect.status(client.post("/users", json=wrong_type), 422)
    # A missing field: FastAPI's own 422 echoes the whole body, out of the leak rule (lesson 04).
    missing = new_user(ctx)
    del missing["email"]
    expect.status(client.post("/users", json=missing, leak_scan=False), 422)


def success_schema(document: dict, method: str, path: str) -> tuple[str, object] | None:
    for operation, code, schema in response_schemas(document):
        if operation == f"{method} {path}" and code.startswith("2"):
            return code, schema
    return None


@check(
    "OpenAPI: POST /users and GET /users/{user_id} document exactly id, username, email",
    points=2,
    docs="openapi",
    hint="The schema comes from `response_model`, not from what you return or exclude: use a separate "
    "`UserOut` model rather than `response_model_exclude` on a bigger model.",
)
def openapi_user_out(client, ctx):
    reply = client.get("/openapi.json", leak_scan=False)
    expect.status(reply, 200)
    document = expect.json_object(reply)
    for method, path in (("POST", "/users"), ("GET", "/users/{user_id}")):
        found = success_schema(document, method, path)
        if found is None:
            expect.fail(
                reply, f"{method} {path} with a documented JSON success response", "no such response in /openapi.json"
            )
        code, schema = found
        properties = set((resolve(schema, document) or {}).get("properties") or {})
        if properties != USER_KEYS:
            expect.fail(
                reply,
                f"the {code} response schema of {method} {path} to have exactly the properties {sorted(USER_KEYS)}",
                f"{sorted(properties) or 'no properties (is a response model declared?)'}",
            )


# The scan itself; wrapped below so that an app that never created a user
# (nothing to leak from) does not earn the points.
scan_for_leaks = leak_check(
    FORBIDDEN_KEYS,
    points=3,
    title="No response, header or schema reveals a password, its hash or an internal field",
    docs="leaks",
).func


@check(
    "No response, header or schema reveals a password, its hash or an internal field",
    points=3,
    docs="leaks",
    name="no-leaks",
    hint="Every route needs `response_model=UserOut` (or `list[UserOut]`); error details, headers and "
    "exception handlers must not include the password, `hashed_password`, `is_admin` or `created_at`.",
)
def no_leaks(client, ctx):
    created = any(
        ex.reply.method == "POST" and ex.reply.path == "/users" and 200 <= ex.reply.status_code < 300
        for ex in client.transcript
    )
    if not created:
        raise CheckFailed("Nothing to scan yet: no POST /users created a user, so no response could show a password.")
    scan_for_leaks(client, ctx)
