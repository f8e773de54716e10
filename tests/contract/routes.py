"""Route discovery: every operation the app serves, read from the app itself.

The app is built in-process only to read its route table (nothing is started, no database is opened); the
checks then talk HTTP to the real server fixture. Whatever a feature adds to `create_litestar` is walked.

Markers, all read from the handlers rather than listed by hand:
- *authenticated*: the handler needs (directly or through another dependency) one of the auth providers of
  `punchclock/kit/auth.py` (`provide_caller`, `provide_workspace`); everything else is public (`/health`,
  the public file URL, the shared-report render; registry.PUBLIC_BY_DESIGN must name each of them).
- *tenant-scoped*: it needs `provide_workspace`; the path parameters that provider reads (`workspace_id`)
  are the tenant parameters, every other path parameter is an entity parameter.
- *paged*: it declares a `page` query parameter.
- *JSON body*: it declares `data` with a JSON media type.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from litestar import Litestar
from litestar.enums import ParamType, RequestEncodingType
from litestar.handlers import HTTPRouteHandler
from litestar.params import BodyKwarg, ParameterKwarg
from litestar.routes import HTTPRoute

from punchclock.kit import prefixes
from punchclock.kit.auth import provide_caller, provide_workspace
from punchclock.settings import Settings

VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE")
AUTH_PROVIDERS = (provide_caller, provide_workspace)
# Names Litestar injects itself; they are never query parameters.
_RESERVED = {"request", "scope", "state", "headers", "cookies", "query", "data", "body", "socket"}
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}")


@dataclass(frozen=True)
class Route:
    """One path of the route table, e.g. `/api/v1/workspaces/{workspace_id}/clients`."""

    template: str
    methods: frozenset[str]
    params: tuple[str, ...]

    @property
    def canonical_prefix(self) -> str:
        for prefix in (prefixes.API, prefixes.REPORTS):
            if self.template == prefix or self.template.startswith(prefix + "/"):
                return prefix
        return ""

    @property
    def prefixes(self) -> list[str]:
        """Every URL prefix a client may use for this route (from `kit/prefixes.py`), canonical first."""
        canonical = self.canonical_prefix
        if not canonical:
            return [""]
        aliases = [a.rstrip("/") for a, target in prefixes._ALIASES if target == canonical + "/"]
        return [canonical, *sorted(a for a in aliases if a != canonical)]

    def under(self, prefix: str, path: str) -> str:
        """`path` (a filled template) moved from the canonical prefix to `prefix`."""
        return prefix + path[len(self.canonical_prefix) :]

    def fill(self, values: dict[str, str]) -> str:
        return _PARAM.sub(lambda m: values[m.group(1)], self.template)

    @property
    def shape(self) -> str:
        """The template with parameter names erased: `/api/v1/workspaces/{}/clients/{}`."""
        return _PARAM.sub("{}", self.template)

    @property
    def regex(self) -> re.Pattern[str]:
        parts = _PARAM.split(self.template)  # literal, name, literal, name, …, literal
        body = "".join("[^/]+" if i % 2 else re.escape(part) for i, part in enumerate(parts))
        return re.compile(f"^{body}/?$")


@dataclass(frozen=True)
class Op:
    """One method of one route."""

    route: Route
    method: str
    handler: HTTPRouteHandler = field(compare=False, repr=False)
    public: bool
    tenant_params: tuple[str, ...]
    entity_params: tuple[str, ...]
    query: frozenset[str]
    body: Any = field(compare=False)

    @property
    def id(self) -> str:
        return f"{self.method} {self.route.template}"

    @property
    def paged(self) -> bool:
        return "page" in self.query

    @property
    def page_size_param(self) -> str:
        """`page-size`, or camelCase `pageSize` on the lists that read that spelling (FACTS "Pagination")."""
        return "pageSize" if "pageSize" in self.query else "page-size"

    @property
    def tenant(self) -> bool:
        return bool(self.tenant_params)

    def __str__(self) -> str:
        return self.id


def _providers(handler: HTTPRouteHandler) -> list[Any]:
    """Every dependency provider the handler needs, following dependencies of dependencies."""
    available = handler.resolve_dependencies()
    seen: dict[str, Any] = {}
    pending = list(handler.parsed_fn_signature.parameters)
    while pending:
        name = pending.pop()
        if name in available and name not in seen:
            seen[name] = available[name]
            pending.extend(available[name].parsed_fn_signature.parameters)
    return list(seen.values())


def _query_names(handler: HTTPRouteHandler, path_params: Iterable[str]) -> frozenset[str]:
    dependencies = handler.resolve_dependencies()
    names = set()
    for name, definition in handler.parsed_fn_signature.parameters.items():
        if name in _RESERVED or name in dependencies or name in path_params:
            continue
        kwarg = definition.kwarg_definition
        if isinstance(kwarg, ParameterKwarg):
            # `QueryParameter(name="page-size")`; the legacy `Parameter(query=...)` sets the same two fields.
            if kwarg.param_type is not ParamType.QUERY:
                continue
            names.add(kwarg.name or name)
        else:
            names.add(name)
    return frozenset(names)


def _json_body(handler: HTTPRouteHandler) -> Any:
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return None
    kwarg = data.kwarg_definition
    if isinstance(kwarg, BodyKwarg) and kwarg.media_type != RequestEncodingType.JSON:
        return None
    return data.annotation


def _is_framework(handler: HTTPRouteHandler) -> bool:
    # Litestar's own handlers (the OpenAPI pages under /schema): not part of the Clockify contract.
    return handler.fn.__module__.split(".")[0] == "litestar"


@cache
def app() -> Litestar:
    # Never started: the database URL is only parsed, nothing is opened.
    with warnings.catch_warnings():
        # Litestar 3 deprecations in the feature modules are the app's business, not the walker's.
        warnings.simplefilter("ignore", DeprecationWarning)
        from punchclock.app import create_litestar

        return create_litestar(Settings(database_url="sqlite:///:memory:"))


@cache
def all_ops() -> tuple[Op, ...]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return _discover()


def _discover() -> tuple[Op, ...]:
    ops: list[Op] = []
    for route in app().routes:
        if not isinstance(route, HTTPRoute):
            continue
        handlers = [h for h in route.route_handlers if not (h.http_methods <= {"OPTIONS", "HEAD"})]
        if not handlers or all(_is_framework(h) for h in handlers):
            continue
        params = tuple(_PARAM.findall(route.path))
        methods = frozenset(m for h in handlers for m in h.http_methods if m in VERBS)
        shape = Route(template=_PARAM.sub(r"{\1}", route.path), methods=methods, params=params)
        for handler in handlers:
            providers = _providers(handler)
            auth = [p for p in providers if p.dependency in AUTH_PROVIDERS]
            tenant_params = tuple(
                p
                for p in params
                if any(
                    p in provider.parsed_fn_signature.parameters
                    for provider in providers
                    if provider.dependency is provide_workspace
                )
            )
            for method in sorted(handler.http_methods & set(VERBS)):
                ops.append(
                    Op(
                        route=shape,
                        method=method,
                        handler=handler,
                        public=not auth,
                        tenant_params=tenant_params,
                        entity_params=tuple(p for p in params if p not in tenant_params),
                        query=_query_names(handler, params),
                        body=_json_body(handler),
                    )
                )
    return tuple(sorted(ops, key=lambda op: (op.route.template, VERBS.index(op.method))))


def all_routes() -> tuple[Route, ...]:
    return tuple(sorted({op.route for op in all_ops()}, key=lambda r: r.template))


def ops(*, public: bool | None = None, tenant: bool | None = None, method: str | None = None) -> Iterator[Op]:
    for op in all_ops():
        if public is not None and op.public != public:
            continue
        if tenant is not None and op.tenant != tenant:
            continue
        if method is not None and op.method != method:
            continue
        yield op


def find(method: str, template_shape: str) -> Op | None:
    """The op with this method whose template, parameter names erased, is `template_shape`."""
    shape = _PARAM.sub("{}", template_shape)
    return next((op for op in all_ops() if op.method == method and op.route.shape == shape), None)


def item_param(route: Route) -> str | None:
    """For a list at `…/things`, the parameter of `…/things/{thing_id}` if such a route exists."""
    for other in all_routes():
        if other.template.startswith(route.template + "/{") and len(other.params) == len(route.params) + 1:
            rest = other.template[len(route.template) + 1 :]
            if _PARAM.fullmatch(rest):
                return other.params[-1]
    return None


def ancestors_with_get(route: Route) -> list[Op]:
    """GET ops on this path and on each shorter path above it: what a write could have changed."""
    found = []
    template = route.template
    while template.count("/") > 1:
        op = next((o for o in all_ops() if o.method == "GET" and o.route.template == template), None)
        if op is not None and not op.public:
            found.append(op)
        template = template.rsplit("/", 1)[0]
    return found


def routed(path: str) -> bool:
    """Whether some route of the app answers this (canonical, filled) path."""
    return any(route.regex.match(path) for route in all_routes())
