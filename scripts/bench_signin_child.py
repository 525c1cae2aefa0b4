"""Sign-in probe for ``scripts/bench.py``: ``python bench_signin_child.py PARAMS`` (JSON: ``db``,
``secret_file``, ``nir``, ``password``, ``count``).

Opens the services on the database as the application does (cheap argon2, no keyring), signs
in once, prints ``ready``, waits for a line on stdin, then signs the space in ``count`` times
through the sign-in service and ends (exit code 1 if one sign-in did not succeed).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    from ensap_tui.bootstrap import Settings, open_services
    from ensap_tui.services.models import SignInStatus

    params = json.loads(sys.argv[1])
    settings = Settings.for_tests()
    if params["secret_file"]:
        settings = dataclasses.replace(settings, secret_file=Path(params["secret_file"]))
    services = open_services(params["db"], settings=settings)
    try:
        sign_in = services.sign_in.sign_in
        nir, password = params["nir"], params["password"]
        if sign_in(nir, password).status is not SignInStatus.SIGNED_IN:
            print("the space did not sign in", file=sys.stderr)
            return 1
        print("ready", flush=True)
        sys.stdin.readline()
        for _ in range(int(params["count"])):
            if sign_in(nir, password).status is not SignInStatus.SIGNED_IN:
                print("the space did not sign in", file=sys.stderr)
                return 1
    finally:
        services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
