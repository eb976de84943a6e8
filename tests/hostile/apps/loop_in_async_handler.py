"""Every route spins forever in an `async def` handler: the event loop itself is stuck."""
# says: no answer within
# @starter


@app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
async def spin(path: str):
    while True:
        pass
