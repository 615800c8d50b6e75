"""Connection URLs: ``scheme://[user[:password]@]location[/path][?option=value&...]``.

doqu itself reads only the scheme, to pick the backend; the backend receives the URL exactly
as the user wrote it (the MongoDB plugin hands it to pymongo untouched). :func:`parse_url`
splits the common form for backends that want the parts, and :func:`mask_password` keeps
passwords out of messages and logs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from ._limits import surrogate_problem
from .errors import ConfigurationError, InvalidURLError

__all__ = ["EXPECTED_FORM", "SCHEME", "URL", "check_options", "mask_password", "parse_url"]

#: a valid URL scheme (RFC 3986): a letter, then letters, digits, ``+``, ``-`` or ``.``.
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
#: the form every connection URL takes, as shown in error messages.
EXPECTED_FORM = "scheme://[user[:password]@]host[:port][/path][?option=value&...]"
_EXAMPLES = "'memory://' or 'mongodb://localhost:27017/app'"
_MASK = "***"
# query options whose values are secrets (e.g. MongoDB's tlsCertificateKeyFilePassword)
_SECRET_OPTION = re.compile(r"((?:^|&)[^=&]*password[^=&]*=)[^&]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True, repr=False)
class URL:
    """A connection URL split into its parts; ``str()`` and ``repr()`` mask the password.

    ``location`` is everything between the userinfo and the path as written (``host``,
    ``host:port``, or MongoDB's ``host1:27017,host2:27017``); ``path`` keeps its leading
    ``/``. ``username`` and ``password`` are percent-decoded.
    """

    #: the URL exactly as given (contains the password, if any).
    raw: str
    #: the scheme, lower-cased.
    scheme: str
    username: str | None
    password: str | None
    location: str
    path: str
    query: str

    def options(self) -> dict[str, str]:
        """The query options (``?a=1&b=x``) as a dict of decoded strings.

        Raises ``InvalidURLError`` when an option is given twice.
        """
        options: dict[str, str] = {}
        for name, value in parse_qsl(self.query, keep_blank_values=True):
            if name in options:
                raise InvalidURLError(
                    f"connection URL {str(self)!r} gives option {name!r} twice; give it once",
                    url=str(self),
                )
            options[name] = value
        return options

    def merged_options(
        self, given: Mapping[str, Any], accepted: Sequence[str], *, backend: str
    ) -> dict[str, Any]:
        """The URL's query options and the keywords given to ``connect()``, as one dict.

        Raises ``InvalidURLError`` for a URL option ``backend`` does not accept, and
        ``ConfigurationError`` for such a keyword, one UTF-8 cannot encode, or an option given
        both ways with different values.
        """
        check_options(given)
        from_url = self.options()
        unknown = sorted(set(from_url) - set(accepted))
        if unknown:
            raise InvalidURLError(
                f"connection URL {str(self)!r} has unknown option(s) {unknown!r} (accepted: "
                f"{', '.join(accepted)}) for the {backend} backend",
                url=str(self),
            )
        unknown = sorted(set(given) - set(accepted))
        if unknown:
            raise ConfigurationError(
                f"unknown option(s) {unknown!r} for the {backend} backend; accepted: "
                f"{', '.join(accepted)}"
            )
        for name, value in given.items():
            if name in from_url and from_url[name] != value:
                raise ConfigurationError(
                    f"{name} is given twice, as {from_url[name]!r} in URL {str(self)!r} and "
                    f"as {value!r}; give it once"
                )
        return {**from_url, **given}

    def __str__(self) -> str:
        return mask_password(self.raw)

    def __repr__(self) -> str:
        return f"URL({str(self)!r})"


def parse_url(url: object) -> URL:
    """Split a connection URL into its parts.

    Raises ``InvalidURLError`` unless it has a scheme and UTF-8 can encode it (no lone
    surrogate, ``"\\ud800"``).
    """
    if not isinstance(url, str):
        raise InvalidURLError(
            f"a connection URL is a str like {_EXAMPLES}, got {type(url).__name__} "
            f"{mask_password(repr(url))}",
            url=mask_password(repr(url)),
        )
    scheme, separator, rest = url.partition("://")
    shown = mask_password(url)
    problem = None
    if not separator:
        problem = "has no scheme"
    elif not SCHEME.fullmatch(scheme):
        problem = (
            f"has an invalid scheme {scheme!r} (a scheme is a letter followed by letters, "
            "digits, '+', '-' or '.')"
        )
    if problem:
        raise InvalidURLError(
            f"connection URL {shown!r} {problem}; expected {EXPECTED_FORM}, e.g. {_EXAMPLES}",
            url=shown,
        )
    # a file name or a driver's wire format would fail to encode it: one answer on every backend
    if surrogate_problem(url):
        # the masked URL, so that a surrogate in the password is neither shown nor located
        problem = surrogate_problem(shown) or (
            "has a password holding a lone surrogate, which cannot be encoded as UTF-8"
        )
        raise InvalidURLError(f"connection URL {shown!r} {problem}", url=shown)
    # RFC 3986: the authority ends at the first '/', '?' or '#'; userinfo ends at its last '@'
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    tail = rest[len(authority) :]
    userinfo, at, location = authority.rpartition("@")
    username = password = None
    if at:
        user, colon, secret = userinfo.partition(":")
        username = unquote(user)
        password = unquote(secret) if colon else None
    path, _, query = tail.split("#", 1)[0].partition("?")
    return URL(url, scheme.lower(), username, password, location, path, query)


def check_options(options: Mapping[str, Any]) -> None:
    """Raise ``ConfigurationError`` for an option whose name or str value UTF-8 cannot encode."""
    for name, value in options.items():
        for text in (name, value):
            problem = surrogate_problem(text) if isinstance(text, str) else None
            if problem:
                shown = _MASK if "password" in name.lower() else repr(value)
                raise ConfigurationError(f"option {name!r} (given {shown}) {problem}")


def mask_password(url: str) -> str:
    """``url`` with the password of its userinfo and of ``*password*`` options replaced by ``***``.

    Works on text that is not a valid URL too, and errs on the side of hiding: everything
    between the first ``:`` of the userinfo and the last ``@`` before the query is masked.
    """
    prefix, separator, rest = url.partition("://")
    if not separator:
        prefix, rest = "", url
    head, question, query = rest.partition("?")
    userinfo, at, hosts = head.rpartition("@")
    if at and ":" in userinfo:
        head = f"{userinfo.split(':', 1)[0]}:{_MASK}@{hosts}"
    query = _SECRET_OPTION.sub(rf"\1{_MASK}", query)
    return prefix + separator + head + question + query
