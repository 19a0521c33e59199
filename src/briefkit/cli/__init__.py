"""briefkit's command line: one module per command, each orchestration only (the work is
done by the passes it calls); ``common`` holds what commands share, ``reports`` the JSON
reports, ``process`` what the program does to its own process.

The passes are imported inside the commands, so that ``briefkit check`` never loads a
renderer (tests/codebase/test_lazy_imports.py).
"""

from __future__ import annotations

from typing import Any

import click

from briefkit import __version__
from briefkit.cli import absorb, build, check, diff, init, new, schema, styles, watch
from briefkit.cli.process import replace_unencodable, run_as_program


class _Group(click.Group):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        replace_unencodable()
        if args or "args" in kwargs:  # called by a program (a test's runner): return as usual
            return super().main(*args, **kwargs)
        run_as_program(lambda: super(_Group, self).main(*args, **kwargs))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefkit")
def main() -> None:
    """Compile executive briefs from YAML sources to PDF and Word."""


# Every command, one module each; `briefkit --help` lists them in alphabetical order.
COMMANDS: tuple[click.Command, ...] = (
    absorb.absorb,
    build.build,
    check.check,
    diff.diff,
    init.init,
    new.new,
    schema.schema,
    styles.styles,
    watch.watch,
)
for _command in COMMANDS:
    main.add_command(_command)
