"""Checks may add to a starter dict (`seed`) and count a starter list as a response's body goes out (`watch=`).

The bank shows both at work in the sandbox (07-production's list_copied_at_import and audit_in_route lose
exactly their checks); these tests pin the worker-side rules and the in-kernel client.
"""

from fastapi import BackgroundTasks, FastAPI

from grader.client import LocalClient
from grader.sandbox import probe


def catalog_app(log: list, products):
    app = FastAPI()

    @app.get("/products/{product_id}")
    def product(product_id: int) -> dict:
        return {"found": product_id in products}

    @app.post("/in-route")
    def in_route() -> dict:
        log.append("now")
        return {}

    @app.post("/later")
    def later(tasks: BackgroundTasks) -> dict:
        tasks.add_task(log.append, "later")
        return {}

    return app


def test_seed_adds_to_the_starter_dict_the_routes_read():
    products: dict = {}
    app = catalog_app([], products)
    globals()["PRODUCTS"] = products  # the routes' globals are this module's
    try:
        client = LocalClient(app)
        assert client.get("/products/7").json() == {"found": False}
        assert client.seed("PRODUCTS", 7, {"id": 7, "name": "x", "price_cents": 1})
        assert products[7] == {"id": 7, "name": "x", "price_cents": 1}
        assert client.get("/products/7").json() == {"found": True}
    finally:
        del globals()["PRODUCTS"]


def test_seed_refuses_what_is_not_a_flat_record_or_not_a_plain_dict():
    app = catalog_app([], {})
    bad = [
        {"name": "not an identifier", "key": 1, "record": {}},
        {"name": "PRODUCTS", "key": "1", "record": {}},
        {"name": "PRODUCTS", "key": True, "record": {}},
        {"name": "PRODUCTS", "key": 1, "record": {"nested": {"a": 1}}},
        {"name": "PRODUCTS", "key": 1, "record": {str(i): i for i in range(probe.MAX_RECORD_ITEMS + 1)}},
    ]
    for message in bad:
        assert "error" in probe.seed(app, message), message

    class Tracking(dict):  # a dict whose writes run learner code: not touched
        def __setitem__(self, key, value):
            raise AssertionError("learner code ran")

    globals()["PRODUCTS"] = Tracking()
    try:
        assert probe.seed(app, {"name": "PRODUCTS", "key": 1, "record": {}}) == {"seeded": False}
    finally:
        del globals()["PRODUCTS"]


def test_watch_tells_an_append_in_the_route_from_one_after_the_response():
    log: list = []
    globals()["AUDIT_LOG"] = log
    try:
        client = LocalClient(catalog_app(log, {}))
        assert client.post("/in-route", watch="AUDIT_LOG").watched == 1
        assert client.post("/later", watch="AUDIT_LOG").watched == 1  # the task had not run yet
        assert len(log) == 2
        assert client.post("/later").watched is None  # only when asked
    finally:
        del globals()["AUDIT_LOG"]
    assert LocalClient(catalog_app([], {})).post("/later", watch="AUDIT_LOG").watched is None  # no such list
