"""Every route spins forever in a plain `def` handler (run in a worker thread)."""
# says: no answer within
# @starter


@app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
def spin(path: str):
    while True:
        pass
