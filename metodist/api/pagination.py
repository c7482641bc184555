"""Pagination of every list: `?limit=&offset=` answering `{"items": [...], "count": N}`.

    @router.get("/units", response=list[UnitOut])
    @paginate(Pagination)
    def unit_list(request): ...

A limit above MAX_LIMIT is lowered to it rather than refused, so a script asking for "everything"
still gets pages.
"""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, description=f"At most {MAX_LIMIT} items a page.")
        offset: int = Field(0, ge=0)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
