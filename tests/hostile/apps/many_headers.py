"""The reference solution, but every response carries 300,000 headers (once cost the grader a minute and a GiB)."""
# says: grader reads at most 100
# @solution

_solution_app = app
_many = [(b"x-filler-%d" % i, b"v") for i in range(300_000)]


async def app(scope, receive, send):
    async def send_many(message):
        if message["type"] == "http.response.start":
            message = dict(message, headers=list(message.get("headers", [])) + _many)
        await send(message)

    await _solution_app(scope, receive, send_many)
