"""List every content problem: ``python -m psoas_explorer.content.check`` (exit 1 when there is any).

For content authors: the loader stops at the first file that does not parse, then lists every rule problem.
"""

from __future__ import annotations

import sys

from psoas_explorer import settings
from psoas_explorer.content.load import load_content
from psoas_explorer.content.model import ContentError
from psoas_explorer.content.rules import folder_problems


def main() -> int:
    try:
        problems = folder_problems(load_content(check_rules=False), settings.data_dir())
    except ContentError as exc:
        print(exc)
        return 1
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
