#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""check-json.py SCHEMA FILE...: validate every line of each FILE (one
JSON document a line, blank lines skipped) against SCHEMA with Debian's
python3-jsonschema (Draft 2020-12). Prints "N lines valid" or the first
failure as FILE:LINE: error, and exits 0 or 1 (2: usage)."""
import json
import sys

import jsonschema


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    n = 0
    for path in argv[2:]:
        with open(path) as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    doc = json.loads(line)
                except ValueError as e:
                    print(f"{path}:{lineno}: not JSON: {e}")
                    return 1
                err = jsonschema.exceptions.best_match(validator.iter_errors(doc))
                if err is not None:
                    where = "/".join(str(p) for p in err.absolute_path) or "(top)"
                    print(f"{path}:{lineno}: {where}: {err.message}")
                    return 1
                n += 1
    print(f"{n} lines valid against {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
