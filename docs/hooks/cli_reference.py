"""MkDocs hook: the `grader` command reference, read from the command itself.

A page line `<!-- grader-commands -->` becomes one section per command with
its usage, help and every argument and option, taken from the Typer app in
`grader/cli.py`, so the reference cannot drift from what `grader --help` says.
"""

from __future__ import annotations

import html
import re

import typer

MARKER_LINE = re.compile(r"^<!-- grader-commands -->[ \t]*$", re.MULTILINE)


def _params_table(command, ctx) -> str:
    rows = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:  # hidden
            continue
        declaration, help_text = record
        kind = "argument" if param.param_type_name == "argument" else "option"
        rows.append(
            f"<tr><td><code>{html.escape(declaration)}</code></td><td>{kind}</td><td>{html.escape(help_text)}</td></tr>"
        )
    head = "<thead><tr><th>Argument / option</th><th>Kind</th><th>What it does</th></tr></thead>"
    return f"<table>{head}<tbody>{''.join(rows)}</tbody></table>"


def commands_markdown() -> str:
    from grader.cli import app

    group = typer.main.get_command(app)
    root = group.context_class(group, info_name="grader")
    sections = []
    for name in group.list_commands(root):
        command = group.get_command(root, name)
        if command is None or command.hidden:
            continue
        ctx = command.context_class(command, info_name=name, parent=root)
        usage = command.get_usage(ctx).removeprefix("Usage:").strip()
        sections.append(
            "\n\n".join(
                [
                    f"### `grader {name}` {{ #grader-{name} }}",
                    (command.help or "").strip(),
                    f"```text\n{usage}\n```",
                    _params_table(command, ctx),
                ]
            )
        )
    return "\n\n".join(sections)


def on_page_markdown(markdown, page, config, files):
    if not MARKER_LINE.search(markdown):
        return markdown
    return MARKER_LINE.sub(lambda _: commands_markdown(), markdown, count=1)
