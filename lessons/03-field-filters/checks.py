"""Checks for lesson 03, Profiles API: one per line of the contract.

A check that needs a profile's stored state reads `GET /profiles/{username}`
and fills the keys it left out with their defaults: every filter of this
lesson only ever drops a null, an unset field (which holds its default) or a
default value, so the filled-in body is the state whichever filter GET uses.
That way a wrong filter on GET costs the GET check, not the PATCH checks.
"""

from grader import expect
from grader.checks import CheckFailed, check

DEFAULTS = {"bio": None, "theme": "light", "newsletter": False, "deleted_at": None}
THEMES = ("dark", "solarized", "contrast", "sepia")
READ_ROUTES = ("", "/settings", "/card")


def new_profile(ctx) -> dict:
    username = ctx.name()
    return {"username": username, "email": f"{username}@{ctx.word()}.example"}


def other_values(ctx) -> dict:
    """A value different from the default for every optional field."""
    return {
        "bio": ctx.words(),
        "theme": ctx.rng.choice(THEMES),
        "newsletter": True,
        "deleted_at": f"2026-0{ctx.rng.randint(1, 9)}-1{ctx.rng.randint(0, 9)}T08:00:00Z",
    }


def some_of(ctx, values: dict, at_least: int = 1) -> dict:
    keys = sorted(values)
    chosen = ctx.rng.sample(keys, ctx.rng.randint(at_least, len(keys)))
    return {key: values[key] for key in keys if key in chosen}


def full(sent: dict) -> dict:
    return {**DEFAULTS, **sent}


def without_nulls(profile: dict) -> dict:
    return {key: value for key, value in profile.items() if value is not None}


def create(client, sent: dict):
    reply = client.post("/profiles", json=sent)
    if reply.status_code >= 300:
        expect.fail(reply, "the profile to be created (any 2xx) so this check can go on")
    return reply


def state(client, username: str) -> dict:
    """The stored profile, read from GET with the keys it left out filled with their defaults."""
    reply = client.get(f"/profiles/{username}")
    if reply.status_code != 200:
        expect.fail(reply, "200 with the profile so this check can read what is stored")
    return {**DEFAULTS, **expect.json_object(reply)}


def read_twice(client, username: str, route: str, expected: dict, what: str) -> None:
    """Read a route, then the other read routes, then the route again, expecting the
    same body both times: a route that mutates the stored profile shows up on the second reading."""
    for reading in (1, 2):
        if reading == 2:
            for other in READ_ROUTES:
                if other != route:
                    client.get(f"/profiles/{username}{other}")
        reply = client.get(f"/profiles/{username}{route}")
        try:
            expect.status(reply, 200)
            body = expect.json_object(reply, expected)
            expect.equal(reply, body, expected, what)
        except CheckFailed as exc:
            if reading == 1:
                raise
            raise CheckFailed(f"The first read was right; read again after the profile's other routes: {exc}") from None


@check(
    "POST /profiles answers 201 Created",
    points=1,
    docs="create",
    hint="Set `status_code=status.HTTP_201_CREATED` on the decorator.",
)
def create_status_201(client, ctx):
    reply = client.post("/profiles", json={**new_profile(ctx), **some_of(ctx, other_values(ctx))})
    expect.status(reply, 201)


@check(
    "POST /profiles returns exactly the fields the client sent",
    points=2,
    docs="exclude-unset",
    hint="Use `response_model_exclude_unset=True` and return the `Profile` you received (not a dict: "
    "every key of a dict counts as set).",
)
def create_returns_sent_fields(client, ctx):
    for sent in (new_profile(ctx), {**new_profile(ctx), **some_of(ctx, other_values(ctx))}):
        reply = create(client, sent)
        body = expect.json_object(reply, sent)
        expect.equal(reply, body, sent, "the body")


@check(
    "POST /profiles keeps a field sent with its default value or with null",
    points=2,
    docs="unset",
    hint="A field the client sent is set, even when its value is the default or null: "
    "`exclude_unset` keeps it, `exclude_defaults` and `exclude_none` drop it.",
)
def create_keeps_sent_defaults(client, ctx):
    explicit = [
        {**new_profile(ctx), "theme": "light", "newsletter": False},
        {**new_profile(ctx), "bio": None, "deleted_at": None, "theme": ctx.rng.choice(THEMES)},
    ]
    for sent in explicit:
        reply = create(client, sent)
        body = expect.json_object(reply, sent)
        expect.equal(reply, body, sent, "the body")


@check(
    "POST /profiles with a username already taken answers 409 Conflict",
    points=1,
    docs="create",
    hint="Look the username up before storing and `raise HTTPException(status_code=409)` when it exists.",
)
def duplicate_username_409(client, ctx):
    first = new_profile(ctx)
    create(client, first)
    reply = client.post("/profiles", json={**new_profile(ctx), "username": first["username"]})
    expect.status(reply, 409)


@check(
    "GET /profiles/{username} answers 200 with the whole profile, without null fields",
    points=2,
    docs="exclude-none",
    hint="`response_model=Profile, response_model_exclude_none=True`: fields the client never sent are "
    "there with their defaults, fields that are null are left out.",
)
def get_profile(client, ctx):
    profiles = [
        {**new_profile(ctx), **some_of(ctx, other_values(ctx))},
        {**new_profile(ctx), "bio": None, "theme": "light"},
    ]
    for sent in profiles:
        create(client, sent)
    for sent in profiles:
        read_twice(client, sent["username"], "", without_nulls(full(sent)), "the profile")


@check(
    "GET /profiles/{username}/settings shows username, email and only the fields that differ from the default",
    points=2,
    docs="exclude-defaults",
    hint="`response_model_exclude_defaults=True` compares each value with the field's default, whether "
    "the client sent it or not; `exclude_unset` would keep a default value the client sent.",
)
def settings_non_defaults(client, ctx):
    changed = some_of(ctx, other_values(ctx))
    profiles = [
        {**new_profile(ctx), **{**{"theme": "light", "newsletter": False, "bio": None}, **changed}},
        {**new_profile(ctx), "theme": "light", "bio": None},
    ]
    for sent in profiles:
        create(client, sent)
    for sent in profiles:
        expected = {key: value for key, value in full(sent).items() if key not in DEFAULTS or value != DEFAULTS[key]}
        read_twice(client, sent["username"], "/settings", expected, "the settings")


@check(
    "GET /profiles/{username}/card answers 200 with exactly username and bio",
    points=2,
    docs="card",
    hint="Declare a separate `ProfileCard {username: str, bio: str | None}` as the response model; "
    "`bio` stays in the card even when it is null.",
)
def card_username_bio(client, ctx):
    profiles = [
        {**new_profile(ctx), **other_values(ctx)},
        {**new_profile(ctx), **some_of(ctx, {k: v for k, v in other_values(ctx).items() if k != "bio"})},
    ]
    for sent in profiles:
        create(client, sent)
    for sent in profiles:
        read_twice(
            client, sent["username"], "/card", {"username": sent["username"], "bio": sent.get("bio")}, "the card"
        )
    # After an update, the card shows the bio as it is now (whatever GET says is stored).
    username = profiles[1]["username"]
    client.patch(f"/profiles/{username}", json={"bio": ctx.words()})
    stored_bio = state(client, username)["bio"]
    reply = client.get(f"/profiles/{username}/card")
    body = expect.json_object(reply, {"username", "bio"})
    expect.equal(reply, body, {"username": username, "bio": stored_bio}, "the card after a PATCH")


@check(
    "PATCH /profiles/{username} changes only the fields sent",
    points=2,
    docs="partial-updates",
    hint="Merge `changes.model_dump(exclude_unset=True)` into the stored profile (e.g. "
    "`stored.model_copy(update=...)`): a plain `model_dump()` resets every unsent field to its default.",
)
def patch_changes_only_sent(client, ctx):
    sent = {**new_profile(ctx), **other_values(ctx)}
    create(client, sent)
    expected = full(sent)
    # Two updates in a row, the second setting a field back to its default value.
    updates = [
        {"theme": ctx.rng.choice([t for t in THEMES if t != sent["theme"]]), "email": f"{ctx.name()}@new.example"},
        {"newsletter": False},
    ]
    for update in updates:
        reply = client.patch(f"/profiles/{sent['username']}", json=update)
        if reply.status_code >= 300:
            expect.fail(reply, "the profile to be updated (any 2xx)")
        expected.update(update)
        now = state(client, sent["username"])
        if now != expected:
            changed = sorted(key for key in expected if now.get(key) != expected[key])
            expect.fail(
                reply,
                f"only {sorted(update)} to change; stored profile {expected}",
                f"{now} after it (wrong: {changed})",
            )


@check(
    'PATCH /profiles/{username} with "bio": null clears bio',
    points=2,
    docs="partial-updates",
    hint='An explicit null is set: `model_dump(exclude_unset=True)` keeps `"bio": None`; '
    "`exclude_none=True` or an `if value is not None` test throws it away.",
)
def patch_clears_bio(client, ctx):
    sent = {**new_profile(ctx), **other_values(ctx)}
    create(client, sent)
    reply = client.patch(f"/profiles/{sent['username']}", json={"bio": None})
    if reply.status_code >= 300:
        expect.fail(reply, "the profile to be updated (any 2xx)")
    now = state(client, sent["username"])
    expected = {**full(sent), "bio": None}
    if now != expected:
        expect.fail(
            reply, f"bio to be cleared and nothing else to change; stored profile {expected}", f"{now} after it"
        )


@check(
    "PATCH /profiles/{username} answers 200 with the whole profile, without null fields",
    points=1,
    docs="partial-updates",
    hint="Give PATCH the same `response_model=Profile, response_model_exclude_none=True` as GET and "
    "return the updated profile.",
)
def patch_returns_profile(client, ctx):
    # Created with the required fields only: every optional field is unset and holds its default,
    # so only GET's filter (drop nulls) gives the whole profile; POST's (unset) or the settings'
    # (defaults) filter leaves fields out on every run, not just when some were never sent.
    sent = new_profile(ctx)
    create(client, sent)
    update = {"bio": ctx.words(), "theme": ctx.rng.choice(THEMES)}
    reply = client.patch(f"/profiles/{sent['username']}", json=update)
    expect.status(reply, 200)
    expected = without_nulls({**full(sent), **update})
    body = expect.json_object(reply, expected)
    expect.equal(reply, body, expected, "the profile")


@check(
    "Every route answers 404 for an unknown username",
    points=2,
    docs="not-found",
    hint="Look the username up in every route (a small `find()` helper) and "
    "`raise HTTPException(status_code=404)`; never build a profile or card for it.",
)
def unknown_username_404(client, ctx):
    username = f"nobody_{ctx.token(8)}"
    for method, route in [("GET", route) for route in READ_ROUTES] + [("PATCH", "")]:
        expect.require_route(client, method, f"/profiles/{{username}}{route}")
        reply = client.request(
            method, f"/profiles/{username}{route}", json={"bio": ctx.words()} if method == "PATCH" else None
        )
        expect.status(reply, 404)
