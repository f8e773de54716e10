"""Building the app raises no deprecation warning: every handler declares its parameters the way Litestar 3
will require (`FromPath`, `FromQuery`/`QueryParameter`, `JSONBody`, `NamedDependency`, defaults in the
signature). Run in a fresh interpreter, so warnings raised while the route modules are imported count too."""

from __future__ import annotations

import subprocess
import sys
import textwrap

BUILD = textwrap.dedent(
    """
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from punchclock.app import create_litestar
        from punchclock.settings import Settings

        app = create_litestar(Settings())
        app.openapi_schema.to_schema()
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    for w in deprecations:
        print(f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})")
    print(f"routes={len(app.routes)} deprecations={len(deprecations)}")
    """
)


def test_app_builds_without_deprecation_warnings() -> None:
    done = subprocess.run([sys.executable, "-c", BUILD], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    *found, summary = done.stdout.strip().splitlines()
    assert summary.endswith(" deprecations=0"), "\n".join(found)
    # The check looked at a real route table, not an app that failed to register its routers.
    assert int(summary.split()[0].removeprefix("routes=")) >= 40, summary
