"""How doqu's value types are stored as BSON, and read back.

Values are stored as natural BSON so other applications read them as they expect:
``Decimal`` as Decimal128, ``bytes`` as binary, ``UUID`` as binary subtype 4 (the standard
representation), ``date`` as a ``datetime`` at midnight, datetimes as naive UTC. pymongo does
this through :func:`codec_options`; mongomock, which ignores codec options, through
:func:`to_bson` and :func:`from_bson`.

64-bit integers read back as bson's ``Int64``, an ``int`` subclass: turning them into plain
``int`` would need a type decoder, and any decoder moves pymongo off its fast decoding path
(it decodes each batch twice), which costs about 40% of the decoding time (measured: twice the
decoding time of 1,000 records). Core stores any ``int`` subclass as a plain ``int``, so an
``Int64`` read here saves back here and copies to any backend. For the same reason
Decimal128 is decoded only on servers that store it.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from bson.binary import Binary, UuidRepresentation
from bson.codec_options import CodecOptions, TypeCodec, TypeDecoder, TypeEncoder, TypeRegistry
from bson.decimal128 import Decimal128

from doqu.backend import copied
from doqu.errors import InvalidDocumentError

__all__ = ["CODEC_OPTIONS", "ENCODING_OPTIONS", "codec_options", "from_bson", "to_bson"]


def _decimal128(value: decimal.Decimal) -> Decimal128:
    try:
        return Decimal128(value)
    except (decimal.InvalidOperation, decimal.Inexact, decimal.Rounded) as e:
        raise InvalidDocumentError(
            f"Decimal {value!r} does not fit MongoDB's Decimal128 (at most 34 significant "
            "digits, exponent -6176 to 6111); round it or store it as a str",
            value=value,
        ) from e


def _midnight(value: datetime.date) -> datetime.datetime:
    return datetime.datetime(value.year, value.month, value.day)


class _DecimalCodec(TypeCodec):
    python_type = decimal.Decimal
    bson_type = Decimal128

    def transform_python(self, value: Any) -> Any:
        return _decimal128(value)

    def transform_bson(self, value: Any) -> Any:
        return value.to_decimal()


class _DateEncoder(TypeEncoder):
    python_type = datetime.date

    def transform_python(self, value: Any) -> Any:
        return _midnight(value)


class _DecimalEncoder(TypeEncoder):
    python_type = decimal.Decimal

    def transform_python(self, value: Any) -> Any:
        return _decimal128(value)


def _options(*codecs: TypeEncoder | TypeDecoder | TypeCodec) -> CodecOptions[dict[str, Any]]:
    return CodecOptions(
        document_class=dict,
        tz_aware=False,
        uuid_representation=UuidRepresentation.STANDARD,
        type_registry=TypeRegistry(list(codecs)),
    )


#: codec options for a server that stores Decimal128 (MongoDB): decimals read back as Decimal.
CODEC_OPTIONS = _options(_DecimalCodec(), _DateEncoder())
#: codec options for a server without Decimal128 (FerretDB v1, which doqu never sends one):
#: encoders only, so pymongo keeps its fast decoding path.
ENCODING_OPTIONS = _options(_DecimalEncoder(), _DateEncoder())


def codec_options(decimals: bool) -> CodecOptions[dict[str, Any]]:
    """The codec options for a server that does (or does not) store Decimal128."""
    return CODEC_OPTIONS if decimals else ENCODING_OPTIONS


def to_bson(value: Any) -> Any:
    """``value`` (a record, a filter, or a part of one) with doqu's types as BSON types."""
    return copied(value, _to_bson_value)


def from_bson(value: Any) -> Any:
    """``value`` read from the store with BSON types turned back into doqu's."""
    return copied(value, _from_bson_value)


def _to_bson_value(value: Any) -> Any:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return _midnight(value)
    if isinstance(value, decimal.Decimal):
        return _decimal128(value)
    if isinstance(value, uuid.UUID):
        return Binary.from_uuid(value)
    return value


def _from_bson_value(value: Any) -> Any:
    if isinstance(value, Decimal128):
        return value.to_decimal()
    if isinstance(value, Binary):
        # as pymongo decodes them: subtype 0 is bytes, 4 (standard) is a UUID
        return (
            bytes(value) if value.subtype == 0 else value.as_uuid() if value.subtype == 4 else value
        )
    return value
