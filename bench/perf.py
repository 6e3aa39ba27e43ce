"""Every speed and memory benchmark, one table each: what the README's table comes from.

python bench/perf.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ("startup.py", ["--runs", "20", "--instructions"]),
    ("tick.py", ["--runs", "50"]),
    ("keys.py", ["--keys", "200"]),
    ("generate_load.py", ["--runs", "10"]),
    ("memory.py", ["--runs", "3"]),
    ("cli_speed.py", ["--runs", "30"]),
    ("status.py", ["--runs", "30"]),
]


def main() -> int:
    for script, args in SCRIPTS:
        result = subprocess.run([sys.executable, str(HERE / script), *args], cwd=HERE)
        if result.returncode != 0:
            return result.returncode
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
