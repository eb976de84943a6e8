"""`grader dashboard`: a read-only web view of the gradebook (FastAPI, Jinja2, server-side SVG)."""
