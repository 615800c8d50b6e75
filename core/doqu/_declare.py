"""Fields declared as annotations (``age: int = 0``) become :class:`DeclaredField` descriptors.

The owning class runs this once, when it is created; reading and writing fields then costs the
same whichever way they were declared.
"""

from __future__ import annotations

import inspect
import typing
from typing import Any, ClassVar

from ._fields import DeclaredField
from ._values import MISSING

__all__ = ["declare_annotated"]


def declare_annotated(cls: type[Any]) -> None:
    """Replace each field annotated in ``cls``'s own body by a :class:`DeclaredField`."""
    try:
        annotations = inspect.get_annotations(cls, eval_str=True)
    except NameError as error:
        raise TypeError(
            f"{cls.__name__}: cannot resolve a field's annotation ({error}); define the type "
            f"before the class, or declare that field without annotation as name = Field(Type)"
        ) from None
    slots = getattr(cls, "__slots__", ())
    for name, annotation in annotations.items():
        if _is_class_var(annotation) or name in slots:
            continue
        value = vars(cls).get(name, MISSING)
        field = value if isinstance(value, DeclaredField) else DeclaredField(default=value)
        try:
            field.annotate(annotation)
        except TypeError as error:
            raise TypeError(f"{cls.__name__}.{name}: {error}") from None
        if value is not MISSING:  # re-added below, so that fields keep the annotations' order
            delattr(cls, name)
        setattr(cls, name, field)
        field.__set_name__(cls, name)


def _is_class_var(annotation: object) -> bool:
    return annotation is ClassVar or typing.get_origin(annotation) is ClassVar
