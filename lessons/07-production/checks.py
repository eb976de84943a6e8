"""Checks for lesson 07, Catalog API: one per line of the contract.

Every check adds the products it needs to the app's `PRODUCTS` (random id,
name, price and internal cost, as the contract allows between requests), so
it knows their state whatever other checks changed, and an app that copied
`PRODUCTS` at import fails. Each internal cost is a canary: the leak check
looks for its value, and for its key in any spelling, in every response and
in the OpenAPI document. The audit checks watch `AUDIT_LOG`'s length as each
response's final body is sent (`watch=`): an entry appended by the route
itself is already there; one appended by a background task or a `yield`
dependency's teardown is not yet.
"""

import re

from grader import expect
from grader.checks import CheckFailed, check
from grader.leaks import fetch_openapi, leak_check, resolve

PRODUCT_KEYS = {"id", "name", "priceCents", "priceWithTaxCents"}
# RFC 9110 §8.8.3: a strong entity-tag is a quoted run of etagc (%x21 / %x23-7E / obs-text).
STRONG_ETAG = re.compile(r'"[\x21\x23-\x7e\x80-\xff]*"')


def new_product(client, ctx, price: int | None = None) -> dict:
    """A product added to the app's PRODUCTS under a fresh random id; returned as stored."""
    used = ctx.state.setdefault("product_ids", set())
    product_id = ctx.rng.randint(1_000, 99_999)
    while product_id in used:
        product_id = ctx.rng.randint(1_000, 99_999)
    used.add(product_id)
    cost = ctx.rng.randint(10**11, 10**12 - 1)  # 12 digits: no ETag or price holds it by chance
    ctx.canary(str(cost), "a product's internal_cost_cents")
    record = {
        "id": product_id,
        "name": ctx.words(),
        "price_cents": price if price is not None else ctx.rng.randint(100, 99_999),
        "internal_cost_cents": cost,
    }
    if not client.seed("PRODUCTS", product_id, dict(record)):
        raise CheckFailed(
            "Could not add a product to PRODUCTS: keep the starter's module-level `PRODUCTS` dict and read it "
            "when a request comes in (the grader adds products between requests)."
        )
    return record


def stored(body) -> dict | None:
    """What a product body says about the stored fields (priceWithTaxCents is `price-with-tax`'s alone)."""
    if not isinstance(body, dict) or set(body) != PRODUCT_KEYS:
        return body
    return {key: body[key] for key in ("id", "name", "priceCents")}


def expect_product(reply, body, record: dict, what: str) -> None:
    """`body` is `record` as a product: exactly the four keys, the stored fields equal."""
    expect.exact_keys(reply, body, PRODUCT_KEYS, what)
    expect.equal(reply, stored(body), stored(shown(record)), what)


def shown(record: dict) -> dict:
    price = record["price_cents"]
    return {"id": record["id"], "name": record["name"], "priceCents": price, "priceWithTaxCents": price * 120 // 100}


def awkward_price(ctx) -> int:
    """A price whose 120% has a fraction of .6 or .8: rounding, or float arithmetic, gives another answer."""
    return ctx.rng.randint(20, 19_999) * 5 + ctx.rng.choice((3, 4))


def path(record: dict) -> str:
    return f"/products/{record['id']}"


def get_ok(client, record: dict, **kw):
    reply = client.get(path(record), **kw)
    expect.status(reply, 200)
    return reply


def etag(reply) -> str:
    return expect.header(reply, "etag")


def media_type(reply) -> str:
    return reply.headers.get("content-type", "").split(";")[0].strip().lower()


def watched(reply) -> int:
    if reply.watched is None:
        expect.fail(reply, "the starter's module-level AUDIT_LOG list to be there", "no AUDIT_LOG list")
    return reply.watched


MAX_AUDIT = 1_000  # a grading run appends a few dozen entries; a longer log is not this run's


def audit_log(client) -> list:
    reply = client.get("/audit")
    expect.status(reply, 200)
    log = expect.json_list(reply)
    if len(log) > MAX_AUDIT:
        expect.fail(reply, "the audit log of this run (a few dozen entries)", f"{len(log)} entries")
    return log


def other_tag(ctx) -> str:
    return f'"{ctx.token(12)}"'


def new_values(ctx, record: dict, fields: tuple[str, ...]) -> dict:
    body = {}
    if "name" in fields:
        body["name"] = ctx.words()
    if "priceCents" in fields:
        body["priceCents"] = record["price_cents"] + ctx.rng.randint(1, 5_000)
    return body


def applied(record: dict, body: dict) -> dict:
    updated = dict(record)
    if "name" in body:
        updated["name"] = body["name"]
    if "priceCents" in body:
        updated["price_cents"] = body["priceCents"]
    return updated


def unchanged(client, reply, record: dict, tag: str) -> None:
    """After a refused PATCH: the product reads as before, with the same ETag."""
    after = get_ok(client, record)
    if stored(expect.json_body(after)) != stored(shown(record)) or after.headers.get("etag") != tag:
        expect.fail(
            reply,
            f"nothing to change (the product still {stored(shown(record))}, ETag {tag})",
            f"{after.summary('etag')} on the next GET",
        )


@check(
    'GET /products/{id} answers 200 {"id", "name", "priceCents", "priceWithTaxCents"} in camelCase',
    points=2,
    docs="aliases",
    hint="Give the response model `model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True)`: "
    "FastAPI sends the aliases (`response_model_by_alias` is True by default).",
)
def get_product(client, ctx):
    record = new_product(client, ctx)
    reply = get_ok(client, record)
    body = expect.json_object(reply, PRODUCT_KEYS)
    wanted = shown(record)
    expect.equal(
        reply,
        {k: body[k] for k in ("id", "name", "priceCents")},
        {k: wanted[k] for k in ("id", "name", "priceCents")},
        "the product",
    )


@check(
    "priceWithTaxCents is price_cents * 120 // 100",
    points=2,
    docs="computed-fields",
    hint="A `@computed_field` property returning `self.price_cents * 120 // 100`: integer arithmetic, rounded down.",
)
def price_with_tax(client, ctx):
    for _ in range(3):
        record = new_product(client, ctx, awkward_price(ctx))
        reply = get_ok(client, record)
        body = expect.json_object(reply)
        expect.equal(reply, body.get("priceWithTaxCents"), shown(record)["priceWithTaxCents"], "priceWithTaxCents")


@check(
    "GET /products answers 200 with every product, products added later included",
    points=2,
    docs="aliases",
    hint="Build the list from `PRODUCTS.values()` inside the route, with the same response model.",
)
def list_products(client, ctx):
    records = [new_product(client, ctx) for _ in range(2)]
    reply = client.get("/products")
    expect.status(reply, 200)
    items = expect.json_list(reply)
    for item in items:
        expect.exact_keys(reply, item, PRODUCT_KEYS, "every product")
    by_id = {item["id"]: item for item in items if isinstance(item, dict)}
    for record in records:
        expect_product(reply, by_id.get(record["id"]), record, f"the product with id {record['id']}")


@check(
    "GET /products/{id} of an unknown id answers 404",
    points=1,
    docs="aliases",
    hint="Raise `HTTPException(404)` when the id is not in `PRODUCTS`.",
)
def product_unknown_404(client, ctx):
    get_ok(client, new_product(client, ctx))
    expect.status(client.get(f"/products/{ctx.unknown_id()}"), 404)


@check(
    "GET /products/{id} sends a strong ETag, the same while the product is unchanged",
    points=2,
    docs="etags",
    hint='Send `ETag: "<hash of id, name and price>"`: double quotes, no `W/`, computed from what the client sees.',
)
def etag_strong(client, ctx):
    record = new_product(client, ctx)
    first = get_ok(client, record)
    tag = etag(first)
    if not STRONG_ETAG.fullmatch(tag):
        expect.fail(
            first,
            'a strong entity-tag: a quoted value such as "a1b2c3" (no W/, no spaces or quotes inside)',
            header="etag",
        )
    again = get_ok(client, record)
    if again.headers.get("etag") != tag:
        expect.fail(again, f"the same ETag as before ({tag}): the product has not changed", header="etag")


@check(
    "The ETag changes after a PATCH that changes the name or the price",
    points=2,
    docs="etags",
    hint="Derive the ETag from the product's current name and price (a hash), not from its id alone.",
)
def etag_changes(client, ctx):
    for field in ("name", "priceCents"):
        record = new_product(client, ctx)
        before = etag(get_ok(client, record))
        expect.status(client.patch(path(record), json=new_values(ctx, record, (field,))), 200)
        after = get_ok(client, record)
        if etag(after) == before:
            expect.fail(after, f"a new ETag after the PATCH changed {field} (not {before} again)", header="etag")


@check(
    "If-None-Match with the current ETag answers 304 with the ETag and no body",
    points=2,
    docs="if-none-match",
    hint="Compare If-None-Match with the product's ETag; on a match return `Response(status_code=304, "
    'headers={"ETag": etag})`.',
)
def if_none_match_304(client, ctx):
    record = new_product(client, ctx)
    tag = etag(get_ok(client, record))
    reply = client.get(path(record), headers={"If-None-Match": tag})
    expect.status(reply, 304, header="etag")
    if reply.headers.get("etag") != tag:
        expect.fail(reply, f"ETag: {tag} on the 304", header="etag")
    expect.empty_body(reply)


@check(
    "If-None-Match matches `*`, a list holding the ETag, and W/ tags (weak comparison)",
    points=2,
    docs="if-none-match",
    hint='Parse the header as a list of entity-tags (`(W/)?"..."`), drop any `W/`, and answer 304 when one equals '
    "the ETag; `*` matches any product that exists.",
)
def if_none_match_forms(client, ctx):
    record = new_product(client, ctx)
    tag = etag(get_ok(client, record))
    listed = [tag, other_tag(ctx), other_tag(ctx)]
    ctx.rng.shuffle(listed)
    for value in ("*", ", ".join(listed), f"W/{tag}", f"{other_tag(ctx)}, W/{tag}"):
        reply = client.get(path(record), headers={"If-None-Match": value})
        expect.status(reply, 304, header="etag")


@check(
    "If-None-Match with a stale or unrelated ETag answers 200 with the product",
    points=2,
    docs="if-none-match",
    hint="Only a match gives 304: any other If-None-Match is answered like a plain GET.",
)
def if_none_match_stale_200(client, ctx):
    record, other = new_product(client, ctx), new_product(client, ctx)
    other_etag = etag(get_ok(client, other))
    for value in (other_tag(ctx), f"W/{other_tag(ctx)}", f"{other_tag(ctx)}, {other_etag}"):
        reply = client.get(path(record), headers={"If-None-Match": value})
        expect.status(reply, 200)
        expect_product(reply, expect.json_object(reply), record, "the product")


@check(
    "HEAD /products/{id} answers 200 with the GET's ETag and media type",
    points=2,
    docs="head",
    hint="`@app.get` does not answer HEAD (405): add `@app.head(...)` (or `@app.api_route(..., "
    'methods=["GET", "HEAD"])`) that runs the same code.',
)
def head_product(client, ctx):
    record = new_product(client, ctx)
    got = get_ok(client, record)
    reply = client.head(path(record))
    expect.status(reply, 200, header="etag")
    if reply.headers.get("etag") != etag(got):
        expect.fail(reply, f"ETag: {etag(got)}, as GET sends", header="etag")
    if media_type(reply) != media_type(got):
        expect.fail(reply, f"Content-Type: {media_type(got)}, as GET sends", header="content-type")


@check(
    "HEAD /products/{id} of an unknown id answers 404",
    points=1,
    docs="head",
    hint="The HEAD route looks the product up as GET does and raises `HTTPException(404)`.",
)
def head_unknown_404(client, ctx):
    record = new_product(client, ctx)
    known = client.head(path(record))
    if known.status_code != 200:
        expect.fail(known, "HEAD /products/{id} to work (200) for a product that exists, before its 404 can count")
    expect.status(client.head(f"/products/{ctx.unknown_id()}"), 404)


@check(
    "PATCH /products/{id} with name and/or priceCents answers 200 with the updated product",
    points=3,
    docs="partial-updates",
    hint="Read the body into a model whose fields are optional (`name: str | None = None`, camelCase aliases), "
    "and update only `model_dump(exclude_unset=True)`.",
)
def patch_product(client, ctx):
    for fields in (("name",), ("priceCents",), ("name", "priceCents")):
        record = new_product(client, ctx)
        body = new_values(ctx, record, fields)
        reply = client.patch(path(record), json=body)
        expect.status(reply, 200)
        expect_product(reply, expect.json_object(reply), applied(record, body), "the updated product")
        after = get_ok(client, record)
        expect_product(after, expect.json_body(after), applied(record, body), "the product after the PATCH")


@check(
    "PATCH answers with the product's new ETag",
    points=2,
    docs="partial-updates",
    hint="Compute the ETag after the update and send it on the PATCH's response: it is what the next GET sends.",
)
def patch_new_etag(client, ctx):
    record = new_product(client, ctx)
    reply = client.patch(path(record), json=new_values(ctx, record, ("name", "priceCents")))
    expect.status(reply, 200)
    tag = etag(reply)
    now = etag(get_ok(client, record))
    if tag != now:
        expect.fail(reply, f"ETag: {now} (what GET sends for the updated product)", header="etag")


@check(
    "PATCH with an If-Match that does not match answers 412 and changes nothing",
    points=2,
    docs="if-match",
    hint="Before updating, compare If-Match with the current ETag; when none matches, raise `HTTPException(412)`.",
)
def if_match_412(client, ctx):
    record = new_product(client, ctx)
    tag = etag(get_ok(client, record))
    for value in (other_tag(ctx), f"{other_tag(ctx)}, {other_tag(ctx)}"):
        reply = client.patch(path(record), json=new_values(ctx, record, ("name",)), headers={"If-Match": value})
        expect.status(reply, 412)
        unchanged(client, reply, record, tag)


@check(
    "If-Match compares strongly: a W/ tag never matches (412)",
    points=1,
    docs="if-match",
    hint="If-Match uses the strong comparison: a `W/` tag never matches, even with the same quoted value.",
)
def if_match_weak_412(client, ctx):
    record = new_product(client, ctx)
    tag = etag(get_ok(client, record))
    reply = client.patch(path(record), json=new_values(ctx, record, ("priceCents",)), headers={"If-Match": f"W/{tag}"})
    expect.status(reply, 412)
    unchanged(client, reply, record, tag)


@check(
    "If-Match with the current ETag, `*` or a list holding it lets the PATCH through",
    points=2,
    docs="if-match",
    hint="Parse If-Match as a list of entity-tags; `*` or any strong tag equal to the current ETag passes.",
)
def if_match_passes(client, ctx):
    for kind in ("exact", "star", "list"):
        record = new_product(client, ctx)
        tag = etag(get_ok(client, record))
        listed = [tag, other_tag(ctx)]
        ctx.rng.shuffle(listed)
        value = {"exact": tag, "star": "*", "list": ", ".join(listed)}[kind]
        body = new_values(ctx, record, ("name",))
        reply = client.patch(path(record), json=body, headers={"If-Match": value})
        expect.status(reply, 200)
        expect_product(reply, expect.json_object(reply), applied(record, body), "the updated product")


@check(
    "PATCH with neither name nor priceCents answers 422",
    points=2,
    docs="partial-updates",
    hint='A `@model_validator(mode="after")` that raises `ValueError` when `self.model_fields_set` is empty.',
)
def patch_empty_422(client, ctx):
    record = new_product(client, ctx)
    tag = etag(get_ok(client, record))
    for body in ({}, {"colour": ctx.word()}):
        reply = client.patch(path(record), json=body, leak_scan=False)
        expect.status(reply, 422)
        unchanged(client, reply, record, tag)


@check(
    "PATCH with a value Pydantic cannot convert answers 422",
    points=1,
    docs="partial-updates",
    hint="Type the fields `name: str` and `priceCents: int` (through their aliases): FastAPI answers 422 itself.",
)
def patch_bad_value_422(client, ctx):
    record = new_product(client, ctx)
    for body in (
        {"priceCents": ctx.word()},
        {"priceCents": ctx.rng.randint(1, 999) + 0.5},
        {"name": ctx.rng.randint(1, 999)},
        {"name": [ctx.word()]},
    ):
        reply = client.patch(path(record), json=body, leak_scan=False)
        expect.status(reply, 422)


@check(
    "PATCH /products/{id} of an unknown id answers 404",
    points=1,
    docs="partial-updates",
    hint="Look the product up and raise `HTTPException(404)` before checking If-Match or updating.",
)
def patch_unknown_404(client, ctx):
    expect.require_route(client, "PATCH", "/products/{product_id}")
    expect.status(client.patch(f"/products/{ctx.unknown_id()}", json={"name": ctx.words()}), 404)


@check(
    "A successful PATCH appends to AUDIT_LOG after the response is sent",
    points=3,
    docs="background-tasks",
    hint="`background_tasks.add_task(AUDIT_LOG.append, entry)` (a `BackgroundTasks` parameter): it runs once "
    "the response has gone out. Appending in the route itself makes the client wait for it.",
)
def audit_after_response(client, ctx):
    record = new_product(client, ctx)
    before = watched(client.get(path(record), watch="AUDIT_LOG"))
    reply = client.patch(path(record), json=new_values(ctx, record, ("name",)), watch="AUDIT_LOG")
    expect.status(reply, 200)
    if watched(reply) != before:
        expect.fail(
            reply,
            f"AUDIT_LOG to hold {before} entries while the response is sent (the entry comes after)",
            f"{watched(reply)} entries already",
        )
    after = watched(client.get(path(record), watch="AUDIT_LOG"))
    if after != before + 1:
        expect.fail(
            reply,
            f"one entry appended to AUDIT_LOG once the response was sent ({before + 1} in all)",
            f"{after} entries",
        )


@check(
    'Each entry is {"productId": id, "changed": [the camelCase fields sent, sorted]}',
    points=2,
    docs="background-tasks",
    hint='Append `{"productId": product_id, "changed": sorted(...)}`, with the camelCase names of the fields '
    "the body set (`model_fields_set`, mapped through `to_camel`).",
)
def audit_entry(client, ctx):
    for fields in (("priceCents",), ("name", "priceCents")):
        record = new_product(client, ctx)
        before = audit_log(client)
        reply = client.patch(path(record), json=new_values(ctx, record, fields))
        expect.status(reply, 200)
        after = audit_log(client)
        new = list(after)
        for entry in before:
            if entry in new:
                new.remove(entry)
        expect.equal(reply, new, [{"productId": record["id"], "changed": sorted(fields)}], "the new AUDIT_LOG entries")


@check(
    "A refused PATCH (404, 412, 422) appends nothing",
    points=2,
    docs="background-tasks",
    hint="Add the audit task only once the update has happened: after the 404 and If-Match checks.",
)
def audit_refused(client, ctx):
    record = new_product(client, ctx)
    tag = etag(get_ok(client, record))
    before = watched(client.get(path(record), watch="AUDIT_LOG"))
    refused = [
        client.patch(f"/products/{ctx.unknown_id()}", json={"name": ctx.words()}),
        client.patch(path(record), json={"name": ctx.words()}, headers={"If-Match": other_tag(ctx)}),
        client.patch(path(record), json={"priceCents": ctx.word()}, leak_scan=False),
    ]
    after = watched(client.get(path(record), watch="AUDIT_LOG"))
    for reply, code in zip(refused, (404, 412, 422), strict=True):
        expect.status(reply, code)
    if after != before:
        expect.fail(refused[-1], f"AUDIT_LOG to stay at {before} entries after refused PATCHes", f"{after} entries")
    del tag


@check(
    "GET /audit answers 200 with the log in order",
    points=2,
    docs="background-tasks",
    hint="Return `AUDIT_LOG` as it is: entries are appended, oldest first.",
)
def audit_in_order(client, ctx):
    records = [new_product(client, ctx) for _ in range(3)]
    for record in records:
        expect.status(client.patch(path(record), json=new_values(ctx, record, ("name",))), 200)
    log = audit_log(client)
    wanted = [{"productId": record["id"], "changed": ["name"]} for record in records]
    reply = client.get("/audit")
    expect.equal(reply, log[-3:], wanted, "the last three entries of GET /audit")


def _path_shape(template: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", template).rstrip("/")


def _options(schema, document: dict) -> list[dict]:
    """The object schemas a response may be: the schema itself, or the members of an anyOf / oneOf / allOf
    (`Product | None` documents anyOf [Product, null])."""
    if not isinstance(schema, dict):
        return []
    if isinstance(schema.get("properties"), dict):
        return [schema]
    members = [resolve(m, document) for key in ("anyOf", "oneOf", "allOf") for m in schema.get(key) or []]
    return [m for m in members if isinstance(m, dict) and isinstance(m.get("properties"), dict)]


def _documented_properties(document: dict, method: str, shape: str, many: bool) -> list[set]:
    found = []
    for template, item in (document.get("paths") or {}).items():
        operation = item.get(method) if isinstance(item, dict) else None
        if _path_shape(template) != shape or not isinstance(operation, dict):
            continue
        for code, response in (operation.get("responses") or {}).items():
            if not str(code).startswith("2") or not isinstance(response, dict):
                continue
            for media in (response.get("content") or {}).values():
                schema = resolve(media.get("schema") if isinstance(media, dict) else None, document)
                if many and isinstance(schema, dict):
                    schema = resolve(schema.get("items"), document)
                for option in _options(schema, document):
                    found.append(set(option["properties"]))
    return found


@check(
    "OpenAPI: the product schema names exactly id, name, priceCents, priceWithTaxCents",
    points=2,
    docs="openapi",
    hint="Declare `response_model=Product` (or a return annotation) on the routes that return products: the schema "
    "then lists the aliases and the computed field.",
)
def openapi_product_schema(client, ctx):
    document = fetch_openapi(client) or {}
    single = _documented_properties(document, "get", "/products/{}", many=False)
    if not single:
        raise CheckFailed("The OpenAPI document has no response schema with properties for GET /products/{product_id}.")
    others = _documented_properties(document, "get", "/products", many=True)
    others += _documented_properties(document, "patch", "/products/{}", many=False)
    for properties in single + others:
        if properties != PRODUCT_KEYS:
            raise CheckFailed(
                f"Expected the product schema's properties to be exactly {sorted(PRODUCT_KEYS)}; "
                f"the OpenAPI document lists {sorted(properties)[:10]}."
            )


FORBIDDEN_KEYS = {"internal_cost_cents", "internalcostcents", "internal-cost-cents"}  # any case


def schema_property_names(document: dict) -> set[str]:
    """Every property name of every schema in the document: responses, request bodies and components."""
    names: set[str] = set()
    stack: list = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            properties = value.get("properties")
            if isinstance(properties, dict):
                names.update(name for name in properties if isinstance(name, str))
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return names


@check(
    "internal_cost_cents never appears: no value, no key in any spelling, no schema property",
    points=3,
    docs="aliases",
    hint="Let a model decide what goes out: `internal_cost_cents` is not one of its fields, no route returns the "
    "stored dict as it is, and no model (not even the PATCH body) declares it.",
)
def no_leaks(client, ctx):
    # The course's scan of every response and of the response schemas, then every other schema (the contract
    # says any schema: a PATCH body model that declares the field lists it in /openapi.json too).
    leak_check(FORBIDDEN_KEYS, points=3, title="")(client, ctx)
    found = sorted(
        name for name in schema_property_names(fetch_openapi(client) or {}) if name.lower() in FORBIDDEN_KEYS
    )
    if found:
        raise CheckFailed(f"Found the forbidden key {found[0]!r} as a schema property in the OpenAPI document.")
