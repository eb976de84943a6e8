from fastapi import BackgroundTasks, FastAPI

app = FastAPI()
AUDIT_LOG: list[dict] = []


def record(product_id: int, changed: list[str]) -> None:
    AUDIT_LOG.append({"productId": product_id, "changed": changed})


@app.patch("/products/{product_id}")
def rename(product_id: int, tasks: BackgroundTasks) -> dict:
    # Queued now, run once the response has been sent.
    tasks.add_task(record, product_id, ["name"])
    return {"id": product_id, "logged": len(AUDIT_LOG)}


@app.get("/audit")
def audit() -> list[dict]:
    return AUDIT_LOG
